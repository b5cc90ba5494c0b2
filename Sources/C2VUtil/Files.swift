#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// File helpers that keep work safe when a process dies half-way.
public enum FileIO {
    /// Writes `data` so that readers see either the old file or the whole new one:
    /// a temporary file in the same directory, fsync, then rename over the target.
    /// `durable: false` skips the fsync, for files that are cheap to lose (reports, records).
    /// `temporaryDirectory` (on the same file system) holds the partial file instead of the
    /// target's folder, so a process killed mid-write leaves it where the next build reclaims it.
    public static func writeAtomically(_ data: Data, to path: String, durable: Bool = true,
                                       temporaryDirectory: String? = nil) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try createDirectory(directory)
        let temporary = "\(temporaryDirectory ?? directory)/.tmp-\(UInt64.random(in: 0...UInt64.max))-\((path as NSString).lastPathComponent)"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw C2VError(.io, "cannot create \(temporary)", underlying: errnoText()) }
        var ok = true
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { if errno == EINTR { continue }; ok = false; break }
                offset += n
            }
        }
        if ok && durable && fsync(fd) != 0 { ok = false }
        let savedErrno = errnoText()
        close(fd)
        guard ok else {
            unlink(temporary)
            throw C2VError(.io, "cannot write \(path)", underlying: savedErrno)
        }
        try commitRename(from: temporary, to: path)
    }

    /// Renames a finished temporary file over `path` (same directory, so atomic).
    public static func commitRename(from temporary: String, to path: String) throws {
        guard rename(temporary, path) == 0 else {
            let text = errnoText()
            unlink(temporary)
            throw C2VError(.io, "cannot rename into \(path)", underlying: text)
        }
    }

    public static func createDirectory(_ path: String) throws {
        guard !path.isEmpty else { return }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw C2VError(.io, "cannot create directory \(path)", underlying: C2VError.describe(error))
        }
    }

    public static func read(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw C2VError(.io, "cannot read \(path)")
        }
        return data
    }

    public static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    /// Size, inode, and modification and change times, used for the stat-based "is this file
    /// still the one we hashed" check. The change time cannot be set back by `touch`, so a file
    /// rewritten in place with its size and mtime restored still reads as changed (as git's index
    /// does); only bit rot below the file system gets past it, and verified reads catch that.
    public struct Stat: Equatable, Sendable, Codable {
        public var size: Int64
        public var mtimeNanoseconds: Int64
        public var ctimeNanoseconds: Int64
        public var inode: UInt64
    }

    public static func stat(_ path: String) -> Stat? {
        var info = Glibc.stat()
        guard lstat(path, &info) == 0 else { return nil }
        return Stat(size: Int64(info.st_size),
                    mtimeNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
                    ctimeNanoseconds: Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec),
                    inode: UInt64(info.st_ino))
    }

    public static func errnoText() -> String { String(cString: strerror(errno)) }

    /// A fresh private temporary directory.
    public static func makeTemporaryDirectory(prefix: String = "c2v") throws -> String {
        var template = Array("\(NSTemporaryDirectory())/\(prefix)-XXXXXX".utf8CString)
        guard let result = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw C2VError(.io, "cannot create a temporary directory", underlying: errnoText())
        }
        return String(cString: result)
    }
}

/// Reading files a lesson names: a scene file, an image, the lesson itself. Each is checked
/// before a byte is read: a regular file (no FIFO, device or directory, which could block or
/// never end), at most a given size, and when asked, inside a folder after every symlink is
/// followed, so `x.scene.yaml -> /etc/passwd` is refused rather than parsed.
public enum InputFile {
    /// Why a named file cannot be used, phrased to follow its name.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case missing
        case notRegular(String)
        case tooLarge(size: Int64, limit: Int)
        case outside(String)
        case unreadable(String)

        public var description: String {
            switch self {
            case .missing: "does not exist"
            case .notRegular(let kind): "is a \(kind), not a regular file"
            case .tooLarge(let size, let limit): "is \(size) bytes; at most \(limit) are allowed"
            case .outside(let folder): "leads outside \(folder) (through a symlink or `..`)"
            case .unreadable(let why): "cannot be read: \(why)"
            }
        }
    }

    /// The real path of `path` with every symlink followed, or nil when it does not exist.
    public static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The bytes of `path`, read only after the checks above; `inside` names the folder it must
    /// resolve into (`inside` itself resolved the same way).
    public static func read(_ path: String, limit: Int, inside folder: String? = nil) throws(Problem) -> Data {
        guard let real = realPath(path) else {
            // A dangling symlink exists but leads nowhere.
            var link = stat()
            throw lstat(path, &link) == 0 ? .unreadable("it is a symlink to nothing") : .missing
        }
        if let folder {
            let root = realPath(folder.isEmpty ? "." : folder) ?? folder
            guard real.hasPrefix(root.hasSuffix("/") ? root : root + "/") else { throw .outside("the lesson folder") }
        }
        var s = stat()
        guard stat(real, &s) == 0 else { throw .unreadable(String(cString: strerror(errno))) }
        switch s.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw .notRegular("folder")
        case S_IFIFO: throw .notRegular("named pipe")
        case S_IFCHR, S_IFBLK: throw .notRegular("device")
        case S_IFSOCK: throw .notRegular("socket")
        default: throw .notRegular("special file")
        }
        guard Int64(s.st_size) <= Int64(limit) else { throw .tooLarge(size: Int64(s.st_size), limit: limit) }
        // Read at most one byte past the limit, in case the file grew since it was measured.
        let fd = open(real, O_RDONLY | O_NONBLOCK)
        guard fd >= 0 else { throw .unreadable(String(cString: strerror(errno))) }
        defer { close(fd) }
        var data = Data(count: Int(min(Int64(limit), Int64(s.st_size))) + 1)
        var total = 0
        let failed: Int32? = data.withUnsafeMutableBytes { raw -> Int32? in
            while total < raw.count {
                let n = Glibc.read(fd, raw.baseAddress! + total, raw.count - total)
                if n < 0 { if errno == EINTR { continue }; return errno }
                if n == 0 { break }
                total += n
            }
            return nil
        }
        if let failed { throw .unreadable(String(cString: strerror(failed))) }
        guard total <= limit else { throw .tooLarge(size: Int64(total), limit: limit) }
        data.count = total
        return data
    }
}
