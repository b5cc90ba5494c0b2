import C2VBuild
import C2VLesson
import C2VRemote
import C2VScene
import C2VUtil
import Foundation

/// Options of one `c2v build` (or `graph`) invocation.
public struct BuildRequest: Sendable {
    public var paths: [String]
    public var cacheDirectory: String
    public var outputDirectory: String
    /// Engine options, the fault hook and the worker launcher among them.
    public var options: BuildOptions
    public var agents: AgentOptions
    /// A shared cache behind the local one (`--remote-cache`); a machine setting, never in a key.
    public var remoteCache: String?
    /// HTTP Basic credentials for it (`C2V_REMOTE_CACHE_AUTH`), sent only to curl.
    public var remoteCacheAuth: String?
    /// A netrc file for the remote's credentials (`C2V_REMOTE_CACHE_NETRC`).
    public var remoteCacheNetrc: String?
    /// `--remote-cache-required`: a remote that does not answer fails the build.
    public var remoteCacheRequired = false
    /// `--shard i/n`: build only every n-th lesson of the course, starting at the i-th.
    public var shard: Shard?

    public init(paths: [String], cacheDirectory: String, outputDirectory: String, options: BuildOptions,
                agents: AgentOptions = AgentOptions()) {
        self.paths = paths
        self.cacheDirectory = cacheDirectory
        self.outputDirectory = outputDirectory
        self.options = options
        self.agents = agents
    }

    /// The cache this request builds with.
    public var storage: LocalCache { LocalCache(root: cacheDirectory) }
}

/// The storage of one build, and the remote behind it, if any.
public struct OpenedStorage: Sendable {
    public var storage: any BuildStorage
    public var remote: RemoteCache?
}

/// The outcome of one lesson in a build.
public struct LessonOutcome: Sendable {
    public var plan: LessonPlan
    public var results: [StepResult]
    public var report: BuildReport
    public var succeeded: Bool { report.succeeded }
}

/// Loads lessons, builds their graphs together (one scheduler, shared pools), and writes reports.
public enum Pipeline {
    /// The storage a build uses: the local cache, with the remote behind it when one is set.
    /// A remote that cannot be set up is warned about and left out.
    public static func openStorage(_ request: BuildRequest, observer: any BuildObserver) -> OpenedStorage {
        guard let url = request.remoteCache else { return OpenedStorage(storage: request.storage, remote: nil) }
        do {
            let cache = try RemoteCache(url: url, userPassword: request.remoteCacheAuth, netrc: request.remoteCacheNetrc) {
                observer.handle(.warning($0))
            }
            return OpenedStorage(storage: TieredStorage(local: request.storage, remote: cache), remote: cache)
        } catch {
            observer.handle(.warning("\(error); building without the remote cache"))
            return OpenedStorage(storage: request.storage, remote: nil)
        }
    }

    /// The lessons' step graphs; with `--shard`, only this shard's lessons, dealt by the costs
    /// recorded in `storage` (the local cache when not given).
    public static func plans(for request: BuildRequest, storage: (any BuildStorage)? = nil) throws -> [LessonPlan] {
        var lessons = try LessonDiscovery.load(request.paths)
        try checkSectionNames(request.agents, lessons: lessons)
        let course = ShardCosts.fingerprint(lessons)
        if let shard = request.shard {
            let costs = ShardCosts.costs(of: lessons, course: course, in: storage ?? request.storage)
            lessons = shard.select(lessons, costs: costs, sections: lessons.map(\.sections.count))
        }
        var book = SampleBook(path: request.storage.statePath("samples.json"))
        if !request.agents.refresh.isEmpty || !request.agents.samples.isEmpty {
            book.apply(request.agents, lessons: lessons)
            if !request.options.dryRun { try book.save() }
        }
        return try lessons.map { lesson in
            var settings = PipelineSettings(outputRoot: request.outputDirectory, agents: request.agents)
            for section in lesson.sections { settings.samples[section.id] = book.sample(lesson: lesson.name, section: section.id) }
            var plan = try LessonGraphBuilder.plan(lesson, settings: settings)
            plan.course = course
            return plan
        }
    }

    /// `--refresh` and `--sample` must name sections that exist (or `all`).
    static func checkSectionNames(_ agents: AgentOptions, lessons: [Lesson]) throws {
        let ids = Set(lessons.flatMap { $0.sections.map(\.id) })
        for (flag, names) in [("--refresh", agents.refresh.subtracting(["all"])), ("--sample", Set(agents.samples.keys))] {
            for name in names.sorted() where !ids.contains(name) {
                throw C2VError(.usage, "\(flag) \(name): no section `\(name)` in these lessons" + didYouMean(name, ids.sorted())
                               + "; sections: \(ids.sorted().joined(separator: ", "))" + (flag == "--refresh" ? ", or all" : ""))
            }
        }
    }

    /// For `--remote-cache-required`: throws unless the remote answers (and takes the credentials).
    public static func requireRemote(_ request: BuildRequest) throws {
        guard let url = request.remoteCache else { return }
        let cache = try RemoteCache(url: url, userPassword: request.remoteCacheAuth, netrc: request.remoteCacheNetrc) { _ in }
        if let why = cache.reachable() {
            throw C2VError(.buildFailed, "the remote cache \(cache.base) is required (--remote-cache-required) but does not answer: \(why)")
        }
    }

    public static func build(_ plans: [LessonPlan], request: BuildRequest, observer: any BuildObserver,
                             storage opened: OpenedStorage? = nil) async -> [LessonOutcome] {
        let clock = ContinuousClock()
        let began = clock.now
        let (storage, remote) = { let o = opened ?? openStorage(request, observer: observer); return (o.storage, o.remote) }()
        let locator = FindingLocator(plans)
        let engine = BuildEngine(storage: storage, options: request.options, observer: LocatingObserver(inner: observer, locator: locator),
                                 services: services(for: plans))
        var run = await engine.build(plans.map(\.graph))
        run.results = run.results.map { $0.map { locator.locate($0) } }
        // Uploads still under way get a bounded wait; what does not make it is simply not shared.
        var uploadsDone = true
        if let remote, !remote.finishUploads(within: RemoteCache.finalUploadWait) {
            uploadsDone = false
            observer.handle(.warning("remote cache \(remote.base): uploads still running after \(Int(RemoteCache.finalUploadWait)) s were left behind"))
        }
        // The lessons' costs go to the remote only when it has kept up: an action entry waits for
        // the uploads before it, and the end of a build must not wait past the cap above.
        if !request.options.dryRun {
            recordCosts(plans, run.results, in: uploadsDone ? storage : request.storage, observer: observer)
        }
        let elapsed = clock.now - began
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let resources = BuildReport.Resources.measure(workersStarted: run.workersStarted)
        var outcomes: [LessonOutcome] = []
        for (plan, steps) in zip(plans, run.results) {
            // The engine verified these bytes; a summary that does not decode fails the lesson.
            let summary = steps.last(where: { $0.id.kind == AssembleStep.kind })?.retained[.summary]
                .flatMap { try? JSONDecoder().decode(AssemblySummary.self, from: $0) }
            // A dry run forecasts agent calls from what the last real build of the lesson recorded.
            let previous = request.options.dryRun
                ? (try? Data(contentsOf: URL(fileURLWithPath: "\(plan.outputDirectory)/report.json"))).flatMap { try? JSONDecoder().decode(BuildReport.self, from: $0) }
                : nil
            var report = BuildReport(plan: plan, results: steps, summary: summary, wallSeconds: (wall * 1000).rounded() / 1000,
                                     dryRun: request.options.dryRun, previous: previous)
            report.resources = resources
            report.remote = remote?.statistics
            if !request.options.dryRun {
                do {
                    try report.write(to: "\(plan.outputDirectory)/report.json")
                } catch {
                    observer.handle(.warning("cannot write the report of \(plan.lesson.name): \(C2VError.describe(error))"))
                }
            }
            outcomes.append(LessonOutcome(plan: plan, results: steps, report: report))
        }
        return outcomes
    }

    /// Records what each lesson that did work cost, for `--shard` to balance on: the time of
    /// every step's work, measured now or recorded with its cache entry. A lesson the cache
    /// answered whole records nothing, so a no-op build writes nothing.
    static func recordCosts(_ plans: [LessonPlan], _ results: [[StepResult]], in storage: any BuildStorage,
                            observer: any BuildObserver) {
        for (plan, steps) in zip(plans, results) {
            guard let course = plan.course, steps.contains(where: { $0.status == .ran }),
                  steps.allSatisfy({ $0.status == .ran || $0.status == .cached }) else { continue }
            do {
                try ShardCosts.record(steps.map(\.workSeconds).reduce(0, +), lesson: plan.lesson, course: course, in: storage)
            } catch {
                observer.handle(.warning("cannot record the build cost of \(plan.lesson.name): \(C2VError.describe(error))"))
            }
        }
    }

    /// Graphviz DOT of the step graphs; steps the cache answers are drawn grey, steps that would run bold.
    public static func dot(_ outcomes: [LessonOutcome]) -> String {
        var lines = ["digraph c2v {", "  rankdir=LR;", "  node [shape=box, fontname=\"DejaVu Sans\"];"]
        for outcome in outcomes {
            let scope = outcome.plan.lesson.name
            lines.append("  subgraph \"cluster_\(scope)\" {")
            lines.append("    label=\"\(scope)\";")
            let status = Dictionary(outcome.results.map { ($0.id, $0.status) }, uniquingKeysWith: { a, _ in a })
            for step in outcome.plan.graph.steps {
                let id = "\(scope)/\(step.id)"
                let style = status[step.id] == .cached
                    ? "style=filled, fillcolor=\"#dddddd\", color=\"#999999\""
                    : "style=bold, color=\"#d04020\""
                let label = "\(step.id)\\n\(status[step.id]?.rawValue ?? "")"
                lines.append("    \"\(id)\" [label=\"\(label)\", \(style)];")
                for dependency in step.dependencies {
                    lines.append("    \"\(scope)/\(dependency)\" -> \"\(id)\";")
                }
            }
            lines.append("  }")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }
}

extension Pipeline {
    /// The checked scene of one section, building only what it needs (plan, code, critique of
    /// that section) through the cache. Used by `c2v still` and the benchmarks.
    public static func scene(of section: String, in plan: LessonPlan, request: BuildRequest) async throws -> Scene {
        let critique = StepID(kind: CritiqueStep.kind, target: section)
        guard plan.graph.steps.contains(where: { $0.id == critique }) else {
            let ids = plan.lesson.sections.map(\.id)
            throw C2VError(.usage, "no section `\(section)` in \(plan.lesson.file)" + didYouMean(section, ids)
                           + "; sections: \(ids.joined(separator: ", "))")
        }
        var needed: Set<StepID> = [critique]
        for step in plan.graph.steps.reversed() where needed.contains(step.id) {
            needed.formUnion(step.dependencies)
        }
        let graph = try BuildGraph(scope: plan.graph.scope, steps: plan.graph.steps.filter { needed.contains($0.id) })
        let engine = BuildEngine(storage: request.storage, options: request.options, observer: NoObserver(),
                                 services: services(for: [plan]))
        let results = await engine.build([graph]).results[0]
        if let failed = results.first(where: { $0.status == .failed }) {
            throw C2VError(.buildFailed, "\(failed.id) failed: \(failed.error ?? "unknown error")")
        }
        guard let blob = results.first(where: { $0.id == critique })?.outputs[.scene] else {
            throw C2VError(.buildFailed, "\(critique) did not produce a scene")
        }
        return try JSONDecoder().decode(Scene.self, from: try request.storage.blobs.read(blob))
    }

    /// What the steps of these lessons may use besides their inputs: their agents.
    static func services(for plans: [LessonPlan]) -> StepServices {
        var directory = AgentDirectory()
        var narrators = NarratorClients()
        for plan in plans {
            directory.merge(plan.agents)
            narrators.clients.merge(plan.narrators.clients) { a, _ in a }
        }
        var services = StepServices()
        services.provide(directory)
        services.provide(narrators)
        return services
    }
}

struct NoObserver: BuildObserver {
    func handle(_ event: BuildEvent) {}
}

/// Puts the file:line:column of an author's object in front of the Critic's findings about it,
/// when they are shown and reported. Findings are cached by object id alone, so where a scene
/// sits in its file is no part of any key.
struct FindingLocator: Sendable {
    /// Scope (lesson) -> section -> object id -> where it is written.
    let table: [String: [String: [String: SourceLocation]]]

    init(_ plans: [LessonPlan]) {
        var table: [String: [String: [String: SourceLocation]]] = [:]
        for plan in plans where !plan.objectLocations.isEmpty { table[plan.graph.scope] = plan.objectLocations }
        self.table = table
    }

    func locate(_ result: StepResult) -> StepResult {
        guard result.id.kind == CritiqueStep.kind, let section = result.id.target,
              let objects = table[result.scope]?[section], !objects.isEmpty else { return result }
        var r = result
        r.warnings = r.warnings.map { Self.locate($0, objects) }
        r.error = r.error.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map { Self.locate(String($0), objects) }.joined(separator: "\n") }
        return r
    }

    /// `box at 1.20 s: ...` -> `lesson.yaml:30:11: box at 1.20 s: ...` (a family member is written
    /// where its family is).
    static func locate(_ line: String, _ objects: [String: SourceLocation]) -> String {
        let indent = line.prefix { $0 == " " }
        let body = line.dropFirst(indent.count)
        guard let end = body.firstIndex(where: { $0 == " " || $0 == ":" }) else { return line }
        let id = String(body[..<end])
        // A finding about an object reads `id: ...` or `id at 1.20 s: ...`; those about the section
        // itself (`section title: ...`, `lecture line 2: ...`) have two words before their colon.
        let rest = body[end...]
        guard rest.hasPrefix(":") || rest.hasPrefix(" at ") else { return line }
        let family = id.firstIndex(of: "[").map { String(id[..<$0]) }
        guard let at = objects[id] ?? family.flatMap({ objects[$0] }) else { return line }
        return "\(indent)\(at): \(body)"
    }
}

struct LocatingObserver: BuildObserver {
    let inner: any BuildObserver
    let locator: FindingLocator

    func handle(_ event: BuildEvent) {
        if case .finished(let result) = event { inner.handle(.finished(locator.locate(result))) } else { inner.handle(event) }
    }
}
