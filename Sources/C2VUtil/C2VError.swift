import Foundation

/// A position in a source file, 1-based, as people and editors count.
public struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// The error every c2v layer throws: a stable code, a message a person can act on,
/// an optional place in a user's file, and the lower-level cause when there is one.
public struct C2VError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable {
        /// The user's lesson, course or scene file is wrong. Exit code 2.
        case invalidInput
        /// A command-line usage problem. Exit code 2.
        case usage
        /// A step failed while building. Exit code 1.
        case buildFailed
        /// Reading or writing a file failed.
        case io
        /// A C library (Cairo, Pango, libav*, libcurl) reported an error.
        case native
        /// The cache held something inconsistent; it is treated as a miss.
        case cacheCorrupt
        /// Anything that indicates a bug in c2v itself.
        case `internal`
    }

    public var code: Code
    public var message: String
    public var location: SourceLocation?
    public var underlying: String?

    public init(_ code: Code, _ message: String, at location: SourceLocation? = nil, underlying: String? = nil) {
        self.code = code
        self.message = message
        self.location = location
        self.underlying = underlying
    }

    public var description: String {
        var text = ""
        if let location { text += "\(location): " }
        text += "error: \(message)"
        if let underlying { text += " (\(underlying))" }
        return text
    }

    /// Any error as one line for a message that already says what failed: a c2v error without
    /// its `error:` prefix, a Foundation file error as `path: reason` rather than an
    /// `NSCocoaErrorDomain` dump.
    public static func describe(_ error: any Error) -> String {
        if let e = error as? C2VError {
            var text = e.location.map { "\($0): " } ?? ""
            text += e.message
            if let underlying = e.underlying { text += " (\(underlying))" }
            return text
        }
        if let many = error as? C2VErrors { return many.errors.map { describe($0) }.joined(separator: "; ") }
        let ns = error as NSError
        guard ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain else { return "\(error)" }
        let path = ns.userInfo[NSFilePathErrorKey] as? String ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
        var reason = ns.localizedDescription.replacingOccurrences(of: "The operation could not be completed. ", with: "")
        if ns.domain == NSCocoaErrorDomain {
            switch CocoaError.Code(rawValue: ns.code) {
            case .fileNoSuchFile, .fileReadNoSuchFile: reason = "no such file or directory"
            case .fileReadNoPermission, .fileWriteNoPermission: reason = "permission denied"
            case .fileWriteOutOfSpace: reason = "no space left on device"
            case .fileWriteFileExists: reason = "it already exists"
            case .fileWriteVolumeReadOnly: reason = "the file system is read-only"
            default: break
            }
        }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            reason = String(cString: strerror(Int32(underlying.code)))
        } else if ns.domain == NSPOSIXErrorDomain {
            reason = String(cString: strerror(Int32(ns.code)))
        }
        return path.map { "\($0): \(reason)" } ?? reason
    }
}

/// Several user errors found in one pass; reported together so one edit fixes many.
public struct C2VErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [C2VError]
    public init(_ errors: [C2VError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }

    /// Throws nothing for no errors, the error itself for one, and all of them in file and
    /// position order for several, so one run shows every mistake the way an editor lists them.
    public static func throwIfAny(_ errors: [C2VError]) throws {
        if errors.count == 1 { throw errors[0] }
        guard errors.count > 1 else { return }
        throw C2VErrors(errors.sorted {
            ($0.location?.file ?? "", $0.location?.line ?? 0, $0.location?.column ?? 0)
                < ($1.location?.file ?? "", $1.location?.line ?? 0, $1.location?.column ?? 0)
        })
    }
}
