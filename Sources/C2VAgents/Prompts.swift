import Crypto
import Foundation

/// The LLM agents' system prompts. Each prompt's digest is part of its step keys, so editing a
/// prompt re-asks exactly the calls that used it.
public enum Prompts {
    static let planner = """
        You plan one section of an explainer video, like a teacher writing slides.
        Reply with JSON only: {"lecture_lines": [...], "narration": [...], "animations": [...]}.
        - lecture_lines: 2 to 5 short bullets shown on screen, at most 10 words each, in order.
        - narration: one per lecture line: the full sentence the narrator says while that bullet is shown,
          10 to 30 words, explaining it as a teacher would (not just reading the bullet).
        - animations: one per lecture line: what the right-hand visual area shows while that line is said,
          concretely (e.g. "Plot y = x^2 on axes", "Draw a circle with a rotating radius arrow",
          "Show the formula a^2 + b^2 = c^2 in a box", "Transform a circle into a square").
        No markdown, no comments, no other keys.
        """

    static let visionCritic = """
        You review keyframes of an explainer video before it is rendered in full. Each frame has a title
        on top, lecture lines on the left, and a visual area on the right with a 6x6 grid overlaid:
        columns A to F from left to right, rows 1 to 6 from top to bottom (a cell is like C4; an area like A1:C3).
        Look for visuals that overlap, crowd each other, are cut off, or leave the composition unbalanced.
        Reply with JSON only: {"moves": [{"object": "<object id>", "to": "<cell or area>"}]}, at most 3 moves,
        or {"moves": []} when the frames look right.
        """

    /// Example scenes the Coder sees after the reference; each parses (a test checks).
    static let examples: [String] = [
        """
        scene:
          params: {n: 1}
          objects:
            - {id: axes, kind: axes, at: "A1:F5", x: [-pi, pi], y: [-1.5, 1.5]}
            - {id: wave, kind: graph, on: axes, y: "4/pi * sum(k, 0, n - 1, sin((2*k + 1)*x) / (2*k + 1))", color: 1}
            - {id: label, kind: text, at: "B6:E6", text: "odd harmonics add up", size: 34}
          steps:
            - {line: 0, do: create, target: axes, duration: 1}
            - {line: 0, do: create, target: wave, duration: 1.5}
            - line: 1
              together:
                - {do: animate, param: n, to: 9, duration: 3, easing: linear}
                - {do: write, target: label}
        """,
        """
        scene:
          objects:
            - {id: box, kind: rectangle, at: "A2:F5", corner: 24, color: 0}
            - {id: formula, kind: math, at: "A3:F4", tex: 'c^2 = a^2 + \\mathid{b}{b^2}', size: 56}
            - {id: bar, kind: rectangle, repeat: {var: i, count: 4}, at: ["900 + 150 * i", 900], size: [100, "40 * (i + 1)"], fill: 2, color: 2}
          steps:
            - {line: 0, do: create, target: box, duration: 0.8}
            - {line: 0, do: write, target: formula}
            - {line: 1, do: indicate, target: formula, part: b}
            - {line: 2, do: grow, target: bar, duration: 0.5, lag: 0.2}
        """,
    ]

    static let coder: String = """
        You write scene programs for c2v, an explainer-video renderer. A scene is YAML data, never code.
        The reference below is exactly what the parser accepts; anything else is an error.
        Keep every object inside the visual area (grid A1..F6), texts apart, and text size at least 24.

        """ + sceneLanguage + "\n\n# Examples\n\n" + examples.map { "```yaml\n\($0)\n```" }.joined(separator: "\n\n")

    /// A prompt's SHA-256 (hex), for step keys: any edit to a prompt changes the keys that used it.
    static func digest(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Prompt sizes, for forecasting what agent calls will cost.
public enum AgentPrompts {
    public static var plannerCharacters: Int { Prompts.planner.count }
    public static var coderCharacters: Int { Prompts.coder.count }
}
