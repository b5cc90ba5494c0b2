// c2v-fuzz: a deterministic mutation fuzzer for lessons and scenes.
//
// Each case mutates one corpus file (a shipped lesson, a test fixture) from its own seed and
// runs it in this process through the lesson parser, the graph builder, and for every author
// scene the evaluator and the Critic. An outcome is `ok`, an error with a file:line:column, or
// an error without one (a defect: every input error must say where). A trap, a case past its
// time limit or a memory blow-up stops the run with exit 3 and the case is left in --state;
// the caller prints it. A sample of cases also runs as a full `c2v build` at 64x36.
//
//   c2v-fuzz --cases 10000 --seed 1 --state /tmp/case.txt [--full-builds 4] [--expressions 5000] FILE...

import C2VBuild
import C2VLesson
import C2VPipeline
import C2VScene
import C2VTestSupport
import C2VUtil
import Foundation
import Synchronization

struct Options: Sendable {
    var cases = 1000
    var seed: UInt64 = 1
    var statePath = "fuzz-case.txt"
    var caseSeconds = 10.0
    var memoryMB = 2048
    var fullBuilds = 0
    var expressions = 0
    var workers = ProcessInfo.processInfo.activeProcessorCount
    var corpus: [String] = []

    /// Each worker leaves its case in its own state file: the given path, then `.1`, `.2`, ...
    func statePath(_ worker: Int) -> String { worker == 0 ? statePath : "\(statePath).\(worker)" }

    static func parse(_ arguments: [String]) -> Options {
        var o = Options()
        var i = 0
        func value() -> String {
            i += 1
            guard i < arguments.count else { fail("\(arguments[i - 1]) needs a value") }
            return arguments[i]
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--cases": o.cases = Int(value()) ?? o.cases
            case "--seed": o.seed = UInt64(value()) ?? o.seed
            case "--state": o.statePath = value()
            case "--case-seconds": o.caseSeconds = Double(value()) ?? o.caseSeconds
            case "--memory-mb": o.memoryMB = Int(value()) ?? o.memoryMB
            case "--full-builds": o.fullBuilds = Int(value()) ?? 0
            case "--expressions": o.expressions = Int(value()) ?? 0
            case "--workers": o.workers = max(1, Int(value()) ?? 1)
            case "--help", "-h":
                print("usage: c2v-fuzz [--cases N] [--seed S] [--state FILE] [--case-seconds S] [--memory-mb M] [--full-builds K] [--expressions N] CORPUS-FILE...")
                exit(0)
            default: o.corpus.append(arguments[i])
            }
            i += 1
        }
        return o
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("c2v-fuzz: \(message)\n".utf8))
    exit(2)
}

enum Outcome: String, CaseIterable { case ok, positioned = "error with position", unpositioned = "error without position" }

/// The cases under way, one per worker thread, for the watchdog.
final class Watch: Sendable {
    let started: Mutex<[(index: Int, at: Double)?]>
    init(workers: Int) { started = Mutex(Array(repeating: nil, count: workers)) }
}

/// What the workers found, merged under a lock.
struct Tally {
    var counts: [Outcome: Int] = [:]
    var loose: [String: Int] = [:]
    var slowest = (ms: 0.0, index: 0)
    var peakMB = 0
    var perCorpus: [String: (cases: Int, ms: Double)] = [:]
    var buildCandidates: [(index: Int, text: String, path: String)] = []
    var overMemory: (index: Int, mb: Int)?
}

func now() -> Double { Date().timeIntervalSince1970 }

func residentMB() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
          let pages = text.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE))) / (1 << 20)
}

/// Every error a body throws, or none; `positioned` when each says where.
func classify(_ body: () throws -> Void) -> (Outcome, [String]) {
    do {
        try body()
        return (.ok, [])
    } catch let e as C2VError {
        return (e.location == nil ? .unpositioned : .positioned, e.location == nil ? [e.message] : [])
    } catch let e as C2VErrors {
        let loose = e.errors.filter { $0.location == nil }.map(\.message)
        return (loose.isEmpty ? .positioned : .unpositioned, loose)
    } catch {
        return (.unpositioned, ["\(type(of: error)): \(error)"])
    }
}

/// One case in this process: parse, plan, and evaluate and check each author scene.
func runCase(text: String, file: String) -> (Outcome, [String]) {
    classify {
        let lesson = try LessonParser.parse(text, file: file)
        let plan = try LessonGraphBuilder.plan(lesson, settings: PipelineSettings(outputRoot: "build"))
        for (_, scene) in plan.authorScenes {
            let evaluator = try SceneEvaluator(scene: scene, theme: lesson.theme)
            for time in [0, scene.duration / 2, scene.duration] { _ = evaluator.frame(at: time) }
            _ = LayoutCheck.run(scene, theme: lesson.theme, measurer: ApproximateTextMeasurer(), outputHeight: 36)
        }
    }
}

/// Random expression trees compiled and evaluated against their reference meaning.
func runExpressions(_ count: Int, seed: UInt64) -> (checked: Int, refused: Int, mismatches: [String]) {
    var checked = 0, refused = 0
    var mismatches: [String] = []
    for i in 0..<count {
        var g = SeededGenerator(seed: seed ^ 0xE7, case: i)
        let tree = ExpressionTree.random(depth: Int.random(in: 1...6, using: &g), using: &g)
        let source = tree.description
        guard let compiled = try? MathExpression(source, variables: ["x"]) else { refused += 1; continue }
        for x in [0.0, 1, -2.5, 1e300, -1e-320, 7] {
            let got = compiled.evaluate(x), want = tree.value(x: x)
            if !ExpressionTree.agree(got, want), mismatches.count < 5 { mismatches.append("\(source) at x = \(x): got \(got), expected \(want)") }
        }
        checked += 1
    }
    return (checked, refused, mismatches)
}

let options = Options.parse(Array(CommandLine.arguments.dropFirst()))
guard !options.corpus.isEmpty else { fail("give corpus files: lessons and scene files to mutate") }

// The corpus, copied into a private folder with its neighbours (scene files, images), so file
// fields resolve as they do next to the real lesson.
let work = NSTemporaryDirectory() + "c2v-fuzz-\(getpid())"
try? FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
var corpus: [(name: String, text: String, path: String)] = []
for (i, file) in options.corpus.enumerated() {
    guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { fail("cannot read \(file)") }
    let folder = "\(work)/c\(i)"
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let source = (file as NSString).deletingLastPathComponent
    for neighbour in (try? FileManager.default.contentsOfDirectory(atPath: source.isEmpty ? "." : source)) ?? []
    where neighbour.hasSuffix(".scene.yaml") || neighbour.hasSuffix(".png") || neighbour == "course.yaml" {
        try? FileManager.default.copyItem(atPath: "\(source.isEmpty ? "." : source)/\(neighbour)", toPath: "\(folder)/\(neighbour)")
    }
    // Scene files are wrapped as a section's scene, so they go through the whole path too.
    let name = (file as NSString).lastPathComponent
    let lessonText = name.hasSuffix(".scene.yaml")
        ? "c2v: 1\ntitle: Fuzz\nsections:\n  - id: s\n    title: S\n    lecture_lines: [One line, Two lines]\n    scene: \(name)\n"
        : text
    let path = "\(folder)/\(name.hasSuffix(".scene.yaml") ? "wrapped.yaml" : name)"
    corpus.append((name, lessonText, path))
    // Each section of a long lesson is also a lesson of its own (the header and that section),
    // so most cases stay small and a run covers every section's scene many times.
    let lines = lessonText.components(separatedBy: "\n")
    if let start = lines.firstIndex(of: "sections:") {
        let header = lines[...start]
        var sections: [[String]] = []
        for line in lines[(start + 1)...] {
            if line.hasPrefix("  - ") || sections.isEmpty { sections.append([line]) } else { sections[sections.count - 1].append(line) }
        }
        if sections.count > 1 {
            for (k, section) in sections.enumerated() {
                corpus.append(("\(name)#\(k)", (header + section).joined(separator: "\n"), path))
            }
        }
    }
}
let mutator = LessonMutator(donors: corpus.map(\.text))

let watch = Watch(workers: options.workers)
let limit = options.caseSeconds
Thread.detachNewThread {
    while true {
        Thread.sleep(forTimeInterval: 0.1)
        for (worker, slot) in watch.started.withLock({ $0 }).enumerated() {
            if let (index, at) = slot, now() - at > limit {
                FileHandle.standardError.write(Data("c2v-fuzz: case \(index) ran past \(limit) s (a hang); it is in \(options.statePath(worker))\n".utf8))
                exit(3)
            }
        }
    }
}

/// Runs every case on `options.workers` threads.
func fuzz(_ corpus: [(name: String, text: String, path: String)], mutator: LessonMutator, options: Options,
          watch: Watch) -> Tally {
  let tally = Mutex(Tally())
  let wanted = options.fullBuilds * 20
  DispatchQueue.concurrentPerform(iterations: options.workers) { worker in
    for index in stride(from: worker, to: options.cases, by: options.workers) {
        var g = SeededGenerator(seed: options.seed, case: index)
        let base = corpus[Int.random(in: 0..<corpus.count, using: &g)]
        let text = mutator.mutate(base.text, using: &g)
        // The case first, so a trap leaves it behind.
        try? Data("seed \(options.seed) case \(index) from \(base.name)\n\(text)".utf8).write(to: URL(fileURLWithPath: options.statePath(worker)))
        let start = now()
        watch.started.withLock { $0[worker] = (index, start) }
        let (outcome, messages) = runCase(text: text, file: base.path)
        watch.started.withLock { $0[worker] = nil }
        let ms = (now() - start) * 1000
        let mb = residentMB()
        let over = tally.withLock { t -> Bool in
            if ms > t.slowest.ms { t.slowest = (ms, index) }
            t.counts[outcome, default: 0] += 1
            for m in messages { t.loose[m, default: 0] += 1 }
            t.perCorpus[base.name, default: (0, 0)].cases += 1
            t.perCorpus[base.name, default: (0, 0)].ms += ms
            if outcome == .ok, t.buildCandidates.count < wanted { t.buildCandidates.append((index, text, base.path)) }
            t.peakMB = max(t.peakMB, mb)
            if mb > options.memoryMB, t.overMemory == nil { t.overMemory = (index, mb); return true }
            return false
        }
        if over {
            FileHandle.standardError.write(Data("c2v-fuzz: case \(index) left the process at \(mb) MB (limit \(options.memoryMB) MB); it is in \(options.statePath(worker))\n".utf8))
            exit(3)
        }
    }
  }
  return tally.withLock { $0 }
}

let began = now()
let result = fuzz(corpus, mutator: mutator, options: options, watch: watch)
let inProcessSeconds = now() - began
let (counts, loose, slowest, peakMB, perCorpus, buildCandidates) =
    (result.counts, result.loose, result.slowest, result.peakMB, result.perCorpus, result.buildCandidates)

// A sample of full builds at 64x36, each in its own c2v process with its own cache.
var builds: [String: Int] = [:]
if options.fullBuilds > 0 {
    let c2v = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("c2v").path
    // The cheapest candidates, so a sample stays quick whatever the corpus.
    let chosen = buildCandidates.sorted { $0.text.count < $1.text.count }.prefix(options.fullBuilds)
    for (index, text, path) in chosen {
        var lines = text.components(separatedBy: "\n").filter { !$0.hasPrefix("video:") && !$0.hasPrefix("narration:") }
        lines.insert("video: {size: 64x36, fps: 10, quality: draft}\nnarration: off", at: min(1, lines.count))
        let small = lines.joined(separator: "\n")
        let file = (path as NSString).deletingLastPathComponent + "/build-\(index).yaml"
        try? Data(small.utf8).write(to: URL(fileURLWithPath: file))
        try? Data("seed \(options.seed) case \(index), full build\n\(small)".utf8).write(to: URL(fileURLWithPath: options.statePath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: c2v)
        process.arguments = ["build", file, "--cache-dir", "\(work)/cache-\(index)", "--out-dir", "\(work)/out-\(index)", "--quiet"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { fail("cannot run \(c2v): \(error)") }
        let deadline = now() + 120
        while process.isRunning && now() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            FileHandle.standardError.write(Data("c2v-fuzz: the full build of case \(index) ran past 120 s; it is in \(options.statePath)\n".utf8))
            exit(3)
        }
        if process.terminationReason == .uncaughtSignal {
            FileHandle.standardError.write(Data("c2v-fuzz: the full build of case \(index) died by signal \(process.terminationStatus); it is in \(options.statePath)\n".utf8))
            exit(3)
        }
        builds["exit \(process.terminationStatus)", default: 0] += 1
    }
}

let expressions = runExpressions(options.expressions, seed: options.seed)
try? FileManager.default.removeItem(atPath: work)

var summary: [String: Any] = [
    "cases": options.cases, "seed": options.seed, "workers": options.workers, "seconds": (inProcessSeconds * 10).rounded() / 10,
    "slowest_case_ms": slowest.ms.rounded(), "slowest_case": slowest.index, "peak_rss_mb": peakMB,
    "outcomes": Dictionary(uniqueKeysWithValues: Outcome.allCases.map { ($0.rawValue, counts[$0] ?? 0) }),
    "full_builds": builds,
    "mean_ms_by_file": Dictionary(uniqueKeysWithValues: perCorpus.map { ($0.key, ($0.value.ms / Double(max(1, $0.value.cases)) * 10).rounded() / 10) }),
    "expressions": ["checked": expressions.checked, "refused": expressions.refused, "mismatches": expressions.mismatches.count],
]
if !loose.isEmpty { summary["unpositioned_messages"] = loose.sorted { $0.value > $1.value }.prefix(10).map { "\($0.value)x \($0.key)" } }
if !expressions.mismatches.isEmpty { summary["expression_mismatches"] = expressions.mismatches }
let json = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys, .prettyPrinted])
print(String(decoding: json, as: UTF8.self))
exit(counts[.unpositioned, default: 0] > 0 || !expressions.mismatches.isEmpty ? 1 : 0)
