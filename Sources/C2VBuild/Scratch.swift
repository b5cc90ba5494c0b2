#if canImport(Glibc)
import Glibc
#endif
import C2VUtil
import Dispatch
import Foundation
import Synchronization

/// One build's scratch folder, `<cache>/tmp/<id>/`, and the lock `<cache>/tmp/<id>.lock` that
/// the build holds (`flock`) for as long as it lives.
///
/// A build that dies in any way, SIGKILL included, releases its lock with its last file
/// descriptor, so the next build can tell its folder from a live build's and remove it; two
/// live builds never touch each other's scratch. Step folders, partial blobs and action
/// entries all live here until they are renamed into the cache.
public final class BuildScratch: Sendable {
    public let path: String
    let lockPath: String
    let lockDescriptor: Int32

    private init(path: String, lockPath: String, lockDescriptor: Int32) {
        self.path = path
        self.lockPath = lockPath
        self.lockDescriptor = lockDescriptor
    }

    /// Claims a new scratch folder in `tmp` after reclaiming those of dead builds.
    static func open(in tmp: String) throws -> BuildScratch {
        try FileIO.createDirectory(tmp)
        reclaimDead(in: tmp)
        let id = "build-\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
        let lockPath = "\(tmp)/\(id).lock"
        // The lock exists before the folder, so a folder without a lock always belongs to a dead build.
        let fd = Glibc.open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw C2VError(.io, "cannot create \(lockPath)", underlying: FileIO.errnoText()) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            Glibc.close(fd)
            throw C2VError(.io, "cannot lock \(lockPath)", underlying: FileIO.errnoText())
        }
        let scratch = BuildScratch(path: "\(tmp)/\(id)", lockPath: lockPath, lockDescriptor: fd)
        try FileIO.createDirectory(scratch.path)
        Interruption.shared.register(scratch)
        return scratch
    }

    /// A fresh folder for one step's work. Made only inside a scratch folder that still exists:
    /// once an interruption removed it, nothing brings it back.
    public func stepFolder(_ name: String) throws -> String {
        let folder = "\(path)/\(name)-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
        try Self.makeFolder(folder)
        return folder
    }

    /// `mkdir` without parents; an existing folder is fine.
    static func makeFolder(_ folder: String) throws {
        guard mkdir(folder, 0o755) == 0 || errno == EEXIST else {
            throw C2VError(.io, "cannot create \(folder)", underlying: FileIO.errnoText())
        }
    }

    /// Removes the folder, then the lock: the order that keeps `reclaimDead` safe. The folder is
    /// first renamed away, so a thread still finishing a step (an interrupted build) cannot add
    /// to it while it is being removed: its paths no longer lead anywhere.
    public func close() {
        let doomed = "\(path).closing-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
        let target = rename(path, doomed) == 0 ? doomed : path
        try? FileManager.default.removeItem(atPath: target)
        unlink(lockPath)
        Glibc.close(lockDescriptor)
        Interruption.shared.unregister(self)
    }

    /// Removes what dead builds left in `tmp`: folders whose lock nobody holds, folders with no
    /// lock at all (a build that died between the two, or an older c2v), and stray files.
    /// Returns how many entries it removed.
    @discardableResult
    public static func reclaimDead(in tmp: String) -> Int {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: tmp) else { return 0 }
        let present = Set(names)
        var removed = 0
        for name in names {
            let path = "\(tmp)/\(name)"
            if name.hasSuffix(".lock") {
                let fd = Glibc.open(path, O_RDWR | O_CLOEXEC)
                guard fd >= 0 else { continue }
                defer { Glibc.close(fd) }
                guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { continue }  // a live build
                try? manager.removeItem(atPath: String(path.dropLast(5)))
                unlink(path)
                removed += 1
            } else if !present.contains("\(name).lock") {
                try? manager.removeItem(atPath: path)
                removed += 1
            }
        }
        return removed
    }
}

/// What must be undone when the build is interrupted: worker processes to stop, partial output
/// files to remove, scratch folders to release. SIGINT, SIGTERM and SIGHUP run it and exit with
/// 128 + the signal (130, 143, 129), the shell's convention.
public final class Interruption: Sendable {
    public static let shared = Interruption()

    struct State {
        var scratches: [ObjectIdentifier: BuildScratch] = [:]
        var partialFiles: Set<String> = []
        var workers: Set<Int32> = []
        var sources: [DispatchSourceSignal] = []
        var interrupted = false
    }

    private let state = Mutex(State())

    func register(_ scratch: BuildScratch) { state.withLock { $0.scratches[ObjectIdentifier(scratch)] = scratch } }
    func unregister(_ scratch: BuildScratch) { _ = state.withLock { $0.scratches.removeValue(forKey: ObjectIdentifier(scratch)) } }
    func addPartialFile(_ path: String) { _ = state.withLock { $0.partialFiles.insert(path) } }
    func removePartialFile(_ path: String) { _ = state.withLock { $0.partialFiles.remove(path) } }
    func addWorker(_ pid: Int32) { _ = state.withLock { $0.workers.insert(pid) } }
    func removeWorker(_ pid: Int32) { _ = state.withLock { $0.workers.remove(pid) } }

    /// Installs the handlers once; later calls do nothing.
    public func installSignalHandlers() {
        state.withLock { s in
            guard s.sources.isEmpty else { return }
            // A parent may have started us with these blocked (a background job, a test runner).
            var unblock = sigset_t()
            sigemptyset(&unblock)
            for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&unblock, signal) }
            pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
            for signal in [SIGINT, SIGTERM, SIGHUP] {
                Glibc.signal(signal, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
                source.setEventHandler { [self] in self.interrupt(signal) }
                source.resume()
                s.sources.append(source)
            }
        }
    }

    /// True once a signal began stopping the build: no new step starts.
    public var isInterrupted: Bool { state.withLock { $0.interrupted } }

    /// Called before the program exits on its own: once an interruption has begun, the exit is
    /// its (130, 143, 129), never the failure its stopped workers caused.
    public func waitIfInterrupted() {
        guard state.withLock({ $0.interrupted }) else { return }
        while true { pause() }
    }

    /// Stops workers, removes partial files and scratch, and exits with 128 + `signal`.
    func interrupt(_ signal: Int32) -> Never {
        // Set before any worker is stopped, so a build that sees its workers die waits for this exit.
        let (workers, files, scratches) = state.withLock { s in
            s.interrupted = true
            return (s.workers, s.partialFiles, Array(s.scratches.values))
        }
        for pid in workers { kill(pid, SIGKILL) }
        for pid in workers { var status: Int32 = 0; waitpid(pid, &status, 0) }
        for file in files { unlink(file) }
        for scratch in scratches { scratch.close() }
        let name = signal == SIGINT ? "interrupted" : signal == SIGTERM ? "terminated" : "hung up"
        FileHandle.standardError.write(Data("\nc2v: \(name); finished steps are cached\n".utf8))
        exit(128 + signal)
    }
}

