import C2VBuild
import C2VPipeline
import C2VUtil
import Foundation
import Synchronization

/// Shows build progress: a live status line on a terminal, plain lines otherwise, or JSON events.
/// Events arrive from the scheduler and from running steps, so all state sits behind a mutex.
final class ProgressDisplay: BuildObserver {
    struct State {
        var done = 0
        /// Steps the build has in all; known once the lessons are planned.
        var total = 0
        var running: [String: String] = [:]
        var statusShown = false
        var lastDraw = ContinuousClock.now
        /// Agent calls of steps that ran in this build.
        var tokens = 0
        var cost = 0.0
    }

    let format: LogFormat
    let quiet: Bool
    let explain: Bool
    let isTerminal: Bool
    private let state = Mutex(State())

    init(format: LogFormat, quiet: Bool, explain: Bool, totalSteps: Int = 0, isTerminal: Bool) {
        self.format = format
        self.quiet = quiet
        self.explain = explain
        state.withLock { $0.total = totalSteps }
        self.isTerminal = isTerminal && format == .text && !quiet
    }

    /// Sets the number of steps the progress line counts towards.
    func expect(steps: Int) { state.withLock { $0.total = steps } }

    func handle(_ event: BuildEvent) {
        if format == .json {
            if let line = json(event) { write(line + "\n") }
            return
        }
        state.withLock { state in
            switch event {
            case .started(let scope, let step, let reason):
                state.running["\(scope)/\(step)"] = "\(step)"
                if explain && !quiet { emit("\(scope): \(step): \(reason)", &state) }
            case .progress(let scope, let step, let done, let total):
                state.running["\(scope)/\(step)"] = "\(step) \(done)/\(total) frames"
            case .finished(let result):
                state.done += 1
                state.running["\(result.scope)/\(result.id)"] = nil
                if result.status == .ran {
                    let tokens = (result.metrics[.tokensIn] ?? 0) + (result.metrics[.tokensOut] ?? 0)
                    state.tokens += Checked.int(tokens)
                    state.cost += result.metrics[.cost] ?? 0
                }
                if result.status == .failed {
                    emit("\(result.scope): \(result.id) FAILED: \(result.error ?? "unknown error")", &state)
                } else if !quiet && result.status != .cached && !(explain && result.status == .wouldRun) {
                    let seconds = result.status == .ran ? String(format: " %.2fs", result.seconds) : ""
                    var usage = ""
                    if result.status == .ran, let tokensIn = result.metrics[.tokensIn], let tokensOut = result.metrics[.tokensOut] {
                        let calls = Checked.int(result.metrics[.attempts] ?? 1)
                        usage = " (\(Checked.int(tokensIn)) + \(Checked.int(tokensOut)) tokens, \(calls) call\(calls == 1 ? "" : "s"))"
                    }
                    emit("\(result.status.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(result.scope): \(result.id)\(seconds)\(usage)", &state)
                } else if explain && result.status == .wouldRun && !quiet {
                    emit("would run \(result.scope): \(result.id): \(result.reason)", &state)
                }
                if !quiet {
                    for warning in result.warnings where result.status == .ran {
                        emit("  warning: \(result.scope): \(result.id): \(warning)", &state)
                    }
                }
            case .warning(let text):
                emit("warning: \(text)", &state)
            }
            drawStatus(&state)
        }
    }

    /// Prints a line above the status line.
    private func emit(_ line: String, _ state: inout State) {
        if isTerminal && state.statusShown { write("\r\u{1B}[K") }
        state.statusShown = false
        write(line + "\n")
    }

    private func drawStatus(_ state: inout State) {
        guard isTerminal else { return }
        let now = ContinuousClock.now
        guard now - state.lastDraw > .milliseconds(80) || !state.statusShown else { return }
        state.lastDraw = now
        let running = state.running.values.sorted().prefix(3).joined(separator: ", ")
        let spent = state.tokens > 0 ? " [\(state.tokens) tokens" + (state.cost > 0 ? String(format: ", $%.4f]", state.cost) : "]") : ""
        write("\r\u{1B}[K[\(state.done)/\(state.total)]\(spent) \(running)")
        state.statusShown = true
    }

    func finish() {
        state.withLock { state in
            if isTerminal && state.statusShown { write("\r\u{1B}[K") }
            state.statusShown = false
        }
    }

    func summarize(_ outcome: LessonOutcome, dryRun: Bool) {
        let report = outcome.report
        let totals = report.totals
        let counts = "\(totals["ran"] ?? 0) ran, \(totals["cached"] ?? 0) cached, \(totals["failed"] ?? 0) failed, \(totals["skipped"] ?? 0) skipped"
        if format == .json {
            var object: [String: Any] = ["event": "lesson", "lesson": report.lesson, "succeeded": report.succeeded, "totals": totals]
            if let output = report.output { object["output"] = output }
            if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
                write(String(decoding: data, as: UTF8.self) + "\n")
            }
            return
        }
        if dryRun {
            print("\(report.lesson): \(totals["would-run"] ?? 0) steps would run, \(totals["cached"] ?? 0) cached")
            if let f = report.forecast {
                let cost = f.cost.map { String(format: ", about $%.4f", $0) } ?? " (no price known for the model)"
                print("  agent calls that would run: \(f.calls) (\(f.steps.joined(separator: ", "))), about \(f.tokensIn) tokens in and \(f.tokensOut) out\(cost)")
            }
        } else if report.succeeded, let output = report.output {
            let duration = report.durationSeconds.map { String(format: "%.1f s", $0) } ?? "?"
            print("\(report.lesson): \(output) (\(duration), \(counts), \(String(format: "%.2f", report.wallSeconds)) s)")
            if let a = report.agents {
                print("  agents: \(a.calls) call\(a.calls == 1 ? "" : "s"), \(a.tokensIn) tokens in, \(a.tokensOut) out" + (a.cost.map { String(format: ", $%.4f", $0) } ?? ""))
            }
        } else {
            print("\(report.lesson): build failed (\(counts)); see \(outcome.plan.outputDirectory)/report.json")
        }
    }

    private func json(_ event: BuildEvent) -> String? {
        var object: [String: Any]
        switch event {
        case .started(let scope, let step, let reason):
            object = ["event": "start", "lesson": scope, "step": step.description, "kind": step.kind, "reason": reason.description]
            if let target = step.target { object["section"] = target }
        case .finished(let result):
            object = ["event": "finish", "lesson": result.scope, "step": result.id.description, "kind": result.id.kind,
                      "status": result.status.rawValue, "seconds": result.seconds, "reason": result.reason.description,
                      "warnings": result.warnings]
            if let target = result.id.target { object["section"] = target }
            if let key = result.key { object["key"] = key.hex }
            if let error = result.error { object["error"] = error }
        case .warning(let text):
            object = ["event": "warning", "message": text]
        case .progress:
            return nil
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
