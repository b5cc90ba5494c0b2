import ArgumentParser
import C2VAgents
import C2VBuild
import C2VLesson
import C2VPipeline
import C2VUtil
import Foundation

@main
struct C2VCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "c2v",
        abstract: "Build explainer videos from lesson outlines, like make builds binaries.",
        discussion: """
            A lesson is a YAML file; each section is a target. c2v plans, codes, checks, renders and
            encodes every section, then joins them into one MP4 with chapters and subtitles. Every
            step is keyed by a hash of what it reads, so after an edit only the affected steps run.

              c2v build lessons/fourier.yaml     # -> build/fourier/fourier.mp4
              c2v build --explain                # build lessons/, saying why each step runs
              c2v build --dry-run lessons/       # list what would run, run nothing
              c2v graph lessons/fourier.yaml | dot -Tsvg > graph.svg
              c2v clean                          # remove build/ (the cache stays)

            Exit status: 0 success, 1 build failure, 2 usage or lesson error, 130/143 when
            interrupted by SIGINT/SIGTERM (finished steps stay cached).
            """,
        subcommands: [Build.self, New.self, Clean.self, Graph.self, Still.self, Frames.self, Worker.self],
        defaultSubcommand: nil)

    /// Maps errors to the documented exit codes: 2 for usage and lesson errors, 1 for build failures.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Interruption.shared.waitIfInterrupted()
        } catch let error as C2VError {
            Interruption.shared.waitIfInterrupted()
            printError(error.description)
            Foundation.exit(error.code == .invalidInput || error.code == .usage ? 2 : 1)
        } catch let errors as C2VErrors {
            Interruption.shared.waitIfInterrupted()
            printError(errors.description)
            Foundation.exit(2)
        } catch let exit as ExitCode {
            Interruption.shared.waitIfInterrupted()
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                self.exit(withError: error)
            }
            printError(fullMessage(for: error))
            Foundation.exit(2)
        }
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

struct CommonOptions: ParsableArguments {
    @Option(name: .customLong("cache-dir"), help: "Cache folder (default: $C2V_CACHE_DIR or cache/).")
    var cacheDirectory: String?

    @Option(name: .customLong("out-dir"), help: "Folder for build outputs; each lesson gets <out-dir>/<lesson>/.")
    var outputDirectory: String = "build"

    var resolvedCacheDirectory: String {
        cacheDirectory ?? ProcessInfo.processInfo.environment["C2V_CACHE_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "cache"
    }

    /// The cache and the outputs must not overlap: `clean` removes the output folder whole.
    func validate() throws {
        func absolute(_ path: String) -> String {
            if let real = InputFile.realPath(path) { return real }
            let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
            return (full as NSString).standardizingPath
        }
        let cache = absolute(resolvedCacheDirectory), out = absolute(outputDirectory)
        func within(_ a: String, _ b: String) -> Bool { a == b || a.hasPrefix(b.hasSuffix("/") ? b : b + "/") }
        if within(cache, out) || within(out, cache) {
            throw ValidationError("--out-dir \(outputDirectory) and the cache folder \(resolvedCacheDirectory) overlap; `c2v clean` would delete the cache with the outputs. Give them separate folders.")
        }
    }
}

enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct Build: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build lessons into videos (default path: lessons/).",
        discussion: """
            PATH is a lesson file or a course folder (every *.yaml in it except course.yaml).
            Outputs per lesson: <out-dir>/<lesson>/<lesson>.mp4, <lesson>.vtt, poster.png, report.json.
            """)

    @Argument(help: "Lesson files or course folders.")
    var paths: [String] = []

    @OptionGroup var common: CommonOptions

    @Option(help: "Parallel CPU steps (render, critique, assemble). Default: number of cores.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .customLong("agent-jobs"), help: "Parallel agent steps (plan, code).")
    var agentJobs: Int = 4

    @Flag(name: .customLong("keep-going"), help: "After a failure, keep building everything that does not depend on it.")
    var keepGoing = false

    @Flag(name: .customLong("dry-run"), help: "List the steps that would run and why; run nothing.")
    var dryRun = false

    @Flag(help: "For each step that runs, print the first input that changed since its last build.")
    var explain = false

    @Flag(help: "Print only errors and the final result.")
    var quiet = false

    @Option(name: .customLong("log-format"), help: "text, or json for one JSON event per line (CI).")
    var logFormat: LogFormat = .text

    @OptionGroup var agentFlags: AgentFlags

    @Option(name: .customLong("remote-cache"),
            help: ArgumentHelp("A shared cache speaking the Bazel HTTP cache protocol (nginx WebDAV, bazel-remote), e.g. http://cache:8080/c2v; also $C2V_REMOTE_CACHE. Credentials come from $C2V_REMOTE_CACHE_AUTH=user:password. The remote never fails a build.", valueName: "url"))
    var remoteCache: String?

    @Flag(name: .customLong("remote-cache-required"),
          help: "Fail the build (exit 1) when the remote cache does not answer or fails mid-build, instead of carrying on locally.")
    var remoteCacheRequired = false

    @Option(help: ArgumentHelp("Build only this machine's share of a course (0-based), e.g. 0/4. Every lesson goes to exactly one shard; lessons are dealt by the build cost recorded in the cache (longest first, to the least-loaded shard), and every shard of one run deals alike. Each shard assembles its own lessons.", valueName: "index/count"))
    var shard: String?

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        if let shard, Shard(shard) == nil {
            throw ValidationError("--shard takes INDEX/COUNT with 0 <= INDEX < COUNT, like 0/4; got `\(shard)`")
        }
        guard agentJobs >= 1 else { throw ValidationError("--agent-jobs must be at least 1") }
    }

    func run() async throws {
        let options = BuildOptions(jobs: jobs, agentJobs: agentJobs, keepGoing: keepGoing, dryRun: dryRun,
                                   faults: try injectedFaults(), workers: workerLauncher())
        var request = BuildRequest(
            paths: paths.isEmpty ? ["lessons"] : paths, cacheDirectory: common.resolvedCacheDirectory,
            outputDirectory: common.outputDirectory, options: options, agents: agentFlags.options)
        let environment = ProcessInfo.processInfo.environment
        request.remoteCache = remoteCache ?? environment["C2V_REMOTE_CACHE"].flatMap { $0.isEmpty ? nil : $0 }
        request.remoteCacheAuth = environment["C2V_REMOTE_CACHE_AUTH"].flatMap { $0.isEmpty ? nil : $0 }
        request.remoteCacheNetrc = environment["C2V_REMOTE_CACHE_NETRC"].flatMap { $0.isEmpty ? nil : $0 }
        request.remoteCacheRequired = remoteCacheRequired
        request.shard = shard.flatMap(Shard.init)
        if remoteCacheRequired {
            guard request.remoteCache != nil else { throw ValidationError("--remote-cache-required needs --remote-cache or $C2V_REMOTE_CACHE") }
            if !dryRun { try Pipeline.requireRemote(request) }
        }
        let display = ProgressDisplay(format: logFormat, quiet: quiet, explain: explain || dryRun,
                                      isTerminal: isatty(STDERR_FILENO) == 1)
        // One storage for the whole build: shards are dealt by the costs it recorded.
        let storage = Pipeline.openStorage(request, observer: display)
        let plans = try Pipeline.plans(for: request, storage: storage.storage)
        if plans.isEmpty, let shard = request.shard {
            print("shard \(shard): no lessons fall to this shard")
            return
        }
        // Ctrl-C and SIGTERM stop the workers, remove partial files and scratch, and exit 130/143.
        if !dryRun { Interruption.shared.installSignalHandlers() }
        display.expect(steps: plans.reduce(0) { $0 + $1.graph.steps.count })
        let outcomes = await Pipeline.build(plans, request: request, observer: display, storage: storage)
        display.finish()
        var failed = false
        for outcome in outcomes {
            failed = failed || !outcome.succeeded
            display.summarize(outcome, dryRun: dryRun)
        }
        if remoteCacheRequired, let errors = outcomes.first?.report.remote?.errors, errors > 0 {
            printError("error: the remote cache failed during the build (\(errors) error\(errors == 1 ? "" : "s")) and --remote-cache-required is set")
            failed = true
        }
        if failed { throw ExitCode(1) }
    }
}

struct Clean: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Remove build outputs; with --cache, empty the cache too.",
        discussion: "With no PATH, removes all of <out-dir>. Nothing outside <out-dir> and the cache folder is touched.")

    @Argument(help: "Lesson files or course folders whose outputs to remove.")
    var paths: [String] = []

    @OptionGroup var common: CommonOptions

    @Flag(help: "Also empty the cache (every cached plan, scene and segment).")
    var cache = false

    func run() throws {
        let manager = FileManager.default
        if paths.isEmpty {
            try remove(common.outputDirectory)
        } else {
            for file in try LessonDiscovery.lessonFiles(in: paths) {
                let name = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
                guard !name.isEmpty, !name.contains("/"), name != "..", name != "." else { continue }
                try remove("\(common.outputDirectory)/\(name)")
            }
        }
        if cache {
            // The store removes only its own folders, in case the cache was pointed somewhere shared.
            for path in try LocalCache(root: common.resolvedCacheDirectory).clean() { print("removed \(path)") }
        }

        func remove(_ path: String) throws {
            guard manager.fileExists(atPath: path) else { return }
            do { try manager.removeItem(atPath: path) } catch {
                throw C2VError(.io, "cannot remove \(path)", underlying: C2VError.describe(error))
            }
            print("removed \(path)")
        }
    }
}

struct Graph: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the step graph as Graphviz DOT; cached steps grey, steps that would run bold.")

    @Argument(help: "Lesson files or course folders.")
    var paths: [String] = []

    @OptionGroup var common: CommonOptions
    @OptionGroup var agentFlags: AgentFlags

    func run() async throws {
        let request = BuildRequest(
            paths: paths.isEmpty ? ["lessons"] : paths, cacheDirectory: common.resolvedCacheDirectory,
            outputDirectory: common.outputDirectory,
            options: BuildOptions(jobs: 1, agentJobs: 1, keepGoing: true, dryRun: true), agents: agentFlags.options)
        let plans = try Pipeline.plans(for: request)
        let outcomes = await Pipeline.build(plans, request: request, observer: SilentObserver())
        print(Pipeline.dot(outcomes), terminator: "")
    }
}

/// Steps made to fail (or trap) for tests, from `C2V_INJECT_FAULT`: `render(beta)`, or
/// `render(beta)=trap,critique(alpha)=fail`.
func injectedFaults() throws -> [String: Fault] {
    guard let text = ProcessInfo.processInfo.environment["C2V_INJECT_FAULT"], !text.isEmpty else { return [:] }
    var faults: [String: Fault] = [:]
    for item in text.split(separator: ",") {
        let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
        guard let fault = parts.count == 2 ? Fault(rawValue: parts[1]) : .fail else {
            throw C2VError(.usage, "C2V_INJECT_FAULT: `\(item)` is not STEP or STEP=fail|trap")
        }
        faults[parts[0]] = fault
    }
    return faults
}

/// CPU steps run in workers: this very executable with the hidden `worker` subcommand.
/// `C2V_WORKERS=0` runs them in this process instead (a trap then stops the whole build).
func workerLauncher() -> WorkerLauncher? {
    if ProcessInfo.processInfo.environment["C2V_WORKERS"] == "0" { return nil }
    let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    return WorkerLauncher(executable: executable, arguments: ["worker"])
}

/// A worker process: runs the steps its parent build sends on stdin (not for direct use).
struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run build steps sent by a parent c2v build (internal).", shouldDisplay: false)

    func run() async throws {
        let status = await WorkerServer.serve(LessonSteps.registry)
        if status != 0 { throw ExitCode(status) }
    }
}

struct SilentObserver: BuildObserver {
    func handle(_ event: BuildEvent) {}
}

/// The LLM agents' flags, shared by every command that may plan and code a section.
struct AgentFlags: ParsableArguments {
    @Option(help: ArgumentHelp("Model for the LLM agents (over the lesson's and $C2V_MODEL).", valueName: "name"))
    var model: String?

    @Option(name: .customLong("base-url"),
            help: ArgumentHelp("An OpenAI-compatible endpoint, e.g. http://localhost:11434/v1; selects the openai provider. The API key comes from $C2V_API_KEY or $OPENAI_API_KEY.", valueName: "url"))
    var baseURL: String?

    @Option(name: .customLong("max-tokens-total"), help: "Start no agent call once the build has used this many tokens.")
    var maxTokensTotal: Int?

    @Option(name: .customLong("max-cost"), help: "Start no agent call once the build has spent this many dollars (priced models).")
    var maxCost: Double?

    @Option(help: ArgumentHelp("Ask the agents again for a section (a section id, or `all`); repeatable. Earlier samples stay cached.", valueName: "section"))
    var refresh: [String] = []

    @Option(help: ArgumentHelp("Go back to an earlier sample of a section's agent calls, e.g. intro=0; repeatable.", valueName: "section=n"))
    var sample: [String] = []

    func validate() throws {
        if let maxTokensTotal, maxTokensTotal < 1 { throw ValidationError("--max-tokens-total must be at least 1") }
        if let maxCost, !(maxCost > 0 && maxCost.isFinite) { throw ValidationError("--max-cost must be a number of dollars more than 0, got \(maxCost)") }
        for s in sample where parsedSample(s) == nil { throw ValidationError("--sample takes SECTION=N, like intro=0; got `\(s)`") }
    }

    func parsedSample(_ text: String) -> (String, Int)? {
        let parts = text.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, let n = Int(parts[1]), n >= 0, !parts[0].isEmpty else { return nil }
        return (String(parts[0]), n)
    }

    /// Agent settings from the environment and these flags (flags win).
    var options: AgentOptions {
        var flags = PartialAgentSettings(model: model, baseURL: baseURL)
        if baseURL != nil { flags.provider = .openai }
        let (overrides, key) = AgentOptions.resolve(environment: ProcessInfo.processInfo.environment, flags: flags)
        return AgentOptions(overrides: overrides, apiKey: key, budget: LLMBudget(maxTokens: maxTokensTotal, maxCost: maxCost),
                            refresh: Set(refresh), samples: Dictionary(sample.compactMap(parsedSample), uniquingKeysWith: { _, b in b }))
    }
}
