#if canImport(Glibc)
import Glibc
#endif
import C2VUtil
import Foundation
import Synchronization

/// How to start a worker: c2v itself with its hidden `worker` subcommand.
public struct WorkerLauncher: Sendable {
    public var executable: String
    public var arguments: [String]

    public init(executable: String, arguments: [String]) {
        self.executable = executable
        self.arguments = arguments
    }
}

/// One step for a worker: everything its work may see, as data (the unit a remote executor
/// would run). Upstream blobs are named by handle and read, verified, from `storeRoot`.
struct WorkerJob: Codable, Sendable {
    struct Upstream: Codable, Sendable {
        var step: StepID
        var outputs: [String: BlobHandle]
    }
    var id: StepID
    var inputs: Data
    var upstream: [Upstream]
    var scratch: String
    var storeRoot: String
    var actionsRoot: String?
    var fault: Fault?
}

/// A line a worker writes back: progress while it works, then one of outputs or error.
struct WorkerReply: Codable, Sendable {
    var progress: [Int]?
    /// Output name -> finished file in the job's scratch folder.
    var outputs: [String: String]?
    /// Outputs already in the store (a memo's).
    var blobs: [String: BlobHandle]?
    var warnings: [String]?
    var metrics: [String: Double]?
    var error: String?
    var corruptBlob: Digest?
}

/// Worker processes of one build, started on first use and reused across steps. A build that
/// answers everything from the cache starts none.
final class WorkerPool: Sendable {
    let launcher: WorkerLauncher
    /// Worker stderr goes here, so a crash message can be quoted in the step's error.
    let logDirectory: String
    private let idle = Mutex<[WorkerProcess]>([])
    private let started = Mutex(0)

    init(launcher: WorkerLauncher, logDirectory: String) {
        self.launcher = launcher
        self.logDirectory = logDirectory
        // A worker that dies mid-job must not take the parent with it through a write to its pipe.
        signal(SIGPIPE, SIG_IGN)
    }

    var workersStarted: Int { started.withLock { $0 } }

    /// Runs one job in an idle worker (or a new one) and returns its product.
    func run(_ job: WorkerJob, progress: @escaping @Sendable (Int, Int) -> Void) async throws -> StepProduct {
        let worker = try idle.withLock { $0.popLast() } ?? spawn()
        let reply = try await runBlocking { try worker.exchange(job, progress: progress) }
        if worker.alive { idle.withLock { $0.append(worker) } }
        if let message = reply.error {
            if let digest = reply.corruptBlob { throw BlobCorruption(digest: digest, detail: message) }
            throw C2VError(.buildFailed, message)
        }
        var outputs: [OutputName: StepOutput] = [:]
        for (name, path) in reply.outputs ?? [:] { outputs[OutputName(name)] = .file(path) }
        for (name, blob) in reply.blobs ?? [:] { outputs[OutputName(name)] = .blob(blob) }
        var metrics: [MetricName: Double] = [:]
        for (name, value) in reply.metrics ?? [:] { metrics[MetricName(name)] = value }
        return StepProduct(outputs: outputs, warnings: reply.warnings ?? [], metrics: metrics)
    }

    private func spawn() throws -> WorkerProcess {
        let worker = try WorkerProcess(launcher: launcher, logDirectory: logDirectory)
        started.withLock { $0 += 1 }
        return worker
    }

    /// Closes every idle worker's input, then waits for each: each exits when it reads the end
    /// (all inputs are closed first, so none waits on a sibling that still holds a pipe).
    func shutdown() {
        let workers = idle.withLock { list in defer { list = [] }; return list }
        for worker in workers { worker.closeInput() }
        for worker in workers { worker.finish() }
    }
}

/// One worker process and its two pipes. Used by one job at a time (the pool hands it out).
final class WorkerProcess: @unchecked Sendable {
    // @unchecked: the pool gives a worker to one job at a time, so its fields are never touched
    // from two threads at once.
    let process = Process()
    let input: FileHandle
    let output: FileHandle
    let logPath: String
    var buffer = Data()
    var alive = true

    init(launcher: WorkerLauncher, logDirectory: String) throws {
        process.executableURL = URL(fileURLWithPath: launcher.executable)
        process.arguments = launcher.arguments
        var environment = ProcessInfo.processInfo.environment
        // A trapping step should fail fast with its message, not spend seconds symbolicating.
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        let stdin = Pipe(), stdout = Pipe()
        // The parent's ends must not leak into other children (another worker spawned at the
        // same moment): a worker whose stdin write end a sibling holds never sees its input end.
        _ = fcntl(stdin.fileHandleForWriting.fileDescriptor, F_SETFD, FD_CLOEXEC)
        _ = fcntl(stdout.fileHandleForReading.fileDescriptor, F_SETFD, FD_CLOEXEC)
        process.standardInput = stdin
        process.standardOutput = stdout
        try BuildScratch.makeFolder(logDirectory)
        logPath = "\(logDirectory)/worker-\(UInt64.random(in: 0...UInt64.max)).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: logPath)
        do { try process.run() } catch {
            throw C2VError(.internal, "cannot start a worker (\(launcher.executable))", underlying: C2VError.describe(error))
        }
        Interruption.shared.addWorker(process.processIdentifier)
        input = stdin.fileHandleForWriting
        output = stdout.fileHandleForReading
    }

    /// Sends a job and reads replies until the final one; a worker that dies is reported by how.
    func exchange(_ job: WorkerJob, progress: @escaping @Sendable (Int, Int) -> Void) throws -> WorkerReply {
        var line = try JSONEncoder().encode(job)
        line.append(0x0A)
        do { try input.write(contentsOf: line) } catch {
            return died(job)
        }
        while true {
            guard let text = readLine() else { return died(job) }
            guard let reply = try? JSONDecoder().decode(WorkerReply.self, from: text) else {
                return WorkerReply(error: "the worker running \(job.id) sent an unreadable reply")
            }
            if let p = reply.progress, p.count == 2 { progress(p[0], p[1]); continue }
            return reply
        }
    }

    private func readLine() -> Data? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<newline]
                buffer = Data(buffer[(newline + 1)...])
                return Data(line)
            }
            let chunk = output.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }

    /// The reply for a worker that stopped answering: how it ended, and its last words.
    private func died(_ job: WorkerJob) -> WorkerReply {
        alive = false
        process.waitUntilExit()
        Interruption.shared.removeWorker(process.processIdentifier)
        let how: String
        switch process.terminationReason {
        case .uncaughtSignal:
            let signal = process.terminationStatus
            how = "was killed by signal \(signal) (\(Self.signalName(signal)))"
        default:
            how = "exited with status \(process.terminationStatus)"
        }
        // The runtime's own message ("Fatal error: ..."), not the stack dump after it.
        let log = ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").split(separator: "\n")
        let lastWords = String(log.first { $0.contains("Fatal error") || $0.contains("error:") } ?? log.last ?? "")
            .trimmingCharacters(in: .whitespaces)
        return WorkerReply(error: "the worker process running \(job.id) \(how)" + (lastWords.isEmpty ? "" : ": \(lastWords)"))
    }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGILL: "SIGILL: the step trapped, e.g. a failed precondition or a number out of range"
        case SIGTRAP: "SIGTRAP: the step trapped"
        case SIGABRT: "SIGABRT: the step aborted"
        case SIGSEGV: "SIGSEGV: the step crashed"
        case SIGBUS: "SIGBUS: the step crashed"
        case SIGFPE: "SIGFPE: arithmetic error"
        case SIGKILL: "SIGKILL: killed from outside, or out of memory"
        case SIGTERM: "SIGTERM"
        default: "signal \(signal)"
        }
    }

    func closeInput() { try? input.close() }

    func finish() {
        closeInput()
        process.waitUntilExit()
        Interruption.shared.removeWorker(process.processIdentifier)
    }
}

/// The worker side: reads jobs from stdin, runs each through the registry, and replies on
/// stdout, until its input ends or its parent dies.
public enum WorkerServer {
    public static func serve(_ registry: StepRegistry) async -> Int32 {
        watchParent()
        let out = ReplyWriter()
        let input = FileHandle.standardInput
        var buffer = Data()
        while true {
            // Jobs are one per line.
            var lineData: Data?
            while lineData == nil {
                if let newline = buffer.firstIndex(of: 0x0A) {
                    lineData = Data(buffer[buffer.startIndex..<newline])
                    buffer = Data(buffer[(newline + 1)...])
                    break
                }
                let chunk = input.availableData
                if chunk.isEmpty { return 0 }
                buffer.append(chunk)
            }
            guard let line = lineData else { return 0 }
            let job: WorkerJob
            do { job = try JSONDecoder().decode(WorkerJob.self, from: line) } catch {
                out.send(WorkerReply(error: "the worker could not read its job: \(C2VError.describe(error))"))
                continue
            }
            out.send(await run(job, registry: registry, out: out))
        }
    }

    static func run(_ job: WorkerJob, registry: StepRegistry, out: ReplyWriter) async -> WorkerReply {
        guard let perform = registry.steps[job.id.kind] else {
            return WorkerReply(error: "this worker cannot run \(job.id.kind) steps")
        }
        var upstream: [StepID: [OutputName: BlobHandle]] = [:]
        for entry in job.upstream {
            var outputs: [OutputName: BlobHandle] = [:]
            for (name, blob) in entry.outputs { outputs[OutputName(name)] = blob }
            upstream[entry.step] = outputs
        }
        let throttle = Mutex(-1)
        let context = StepContext(
            id: job.id, scratch: job.scratch, upstream: upstream,
            blobs: LocalContentStore(root: job.storeRoot, temporaryDirectory: job.scratch),
            memos: job.actionsRoot.map { LocalActionCache(root: $0, temporaryDirectory: job.scratch) },
            progress: { done, total in
                // At most about 100 progress lines a step.
                let percent = total > 0 ? done * 100 / total : 0
                let changed = throttle.withLock { last in defer { last = percent }; return last != percent }
                if changed { out.send(WorkerReply(progress: [done, total])) }
            })
        do {
            try job.fault?.apply(to: job.id)
            let product = try await perform(job.inputs, context)
            var files: [String: String] = [:], blobs: [String: BlobHandle] = [:]
            for (name, output) in product.outputs {
                switch output {
                case .blob(let blob): blobs[name.rawValue] = blob
                case .file(let path): files[name.rawValue] = path
                case .data(let data):
                    let path = "\(job.scratch)/output-\(name.rawValue)"
                    try data.write(to: URL(fileURLWithPath: path))
                    files[name.rawValue] = path
                }
            }
            var metrics: [String: Double] = [:]
            for (name, value) in product.metrics { metrics[name.rawValue] = value }
            return WorkerReply(outputs: files, blobs: blobs, warnings: product.warnings, metrics: metrics)
        } catch let corruption as BlobCorruption {
            return WorkerReply(error: corruption.detail, corruptBlob: corruption.digest)
        } catch {
            return WorkerReply(error: C2VError.describe(error))
        }
    }

    /// Exits when the parent goes away (even by SIGKILL), so no worker outlives its build.
    static func watchParent() {
        let parent = getppid()
        let thread = Thread {
            while getppid() == parent { usleep(20_000) }
            _exit(1)
        }
        thread.start()
    }
}

/// Writes whole reply lines to stdout from any thread.
final class ReplyWriter: Sendable {
    private let lock = Mutex(())

    func send(_ reply: WorkerReply) {
        guard var line = try? JSONEncoder().encode(reply) else { return }
        line.append(0x0A)
        lock.withLock { _ in FileHandle.standardOutput.write(line) }
    }
}

/// The engine's one fault-injection hook, for tests: a step made to fail with an error, or to
/// trap for real (in its worker, where the trap takes down only that process).
public enum Fault: String, Sendable, Codable {
    case fail
    case trap

    func apply(to id: StepID) throws {
        switch self {
        case .fail: throw C2VError(.buildFailed, "injected fault in \(id) (C2V_INJECT_FAULT)")
        case .trap: fatalError("injected trap in \(id) (C2V_INJECT_FAULT)")
        }
    }
}
