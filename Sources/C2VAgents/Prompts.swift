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
        """
        scene:
          objects:
            - {id: ring, kind: circle, at: B2, radius: 70, color: 0}
            - {id: oval, kind: ellipse, at: D2, radius: [110, 60], color: 1}
            - {id: tri, kind: polygon, points: [B4, C5, A5], color: 2}
            - {id: hex, kind: regular_polygon, at: E4, sides: 6, radius: 70, color: 3}
            - {id: pointer, kind: arrow, from: C3, to: E3, tips: end, color: 1}
            - {id: spot, kind: dot, at: F2, radius: 14, color: 4}
            - {id: sweep, kind: arc, at: F5, radius: 60, angles: [0, 270], color: 0}
            - {id: floor, kind: line, from: A6.top_left, to: C6.top_right, color: text}
            - {id: span, kind: brace, from: A6.left, to: C6.right, text: "half", color: text}
          steps:
            - {line: 0, do: fade_in, target: ring}
            - {line: 0, do: fade_in, target: oval}
            - {line: 1, do: move, target: spot, to: E2}
            - {line: 1, do: shift, target: tri, by: [40, 0]}
            - {line: 1, do: scale, target: hex, factor: 1.3}
            - {line: 1, do: rotate, target: hex, angle: 30}
            - {line: 2, do: color, target: pointer, color: 3}
            - {line: 2, do: wait, duration: 0.5}
            - {line: 2, do: fade_out, target: ring}
            - {line: 2, do: shrink, target: sweep}
        """,
        """
        scene:
          objects:
            - {id: plane, kind: axes, at: "A1:D4", x: [-2, 2], y: [-2, 2], labels: false}
            - {id: flow, kind: field, on: plane, dx: "-y", dy: "x", color: 5}
            - {id: orbit, kind: parametric, on: plane, x: "1.5 * cos(s)", y: "1.5 * sin(s)", color: 1}
            - {id: rider, kind: dot, on: plane, at: [1.5, 0], radius: 14, color: 0}
            - {id: path, kind: trace, on: plane, point: ["1.2 * cos(t)", "1.2 * sin(t)"], color: 2}
            - {id: sq, kind: rectangle, at: E2, size: [120, 120], color: 3}
            - {id: disc, kind: circle, at: E2, radius: 70, color: 3}
          steps:
            - {line: 0, do: create, target: orbit, duration: 1.5}
            - {line: 1, do: follow, target: rider, path: orbit, duration: 3, easing: linear}
            - {line: 2, do: transform, target: sq, into: disc}
        """,
        """
        scene:
          objects:
            - {id: grid, kind: table, at: "A1:C3", cells: [[n, "n^2"], ["1", "1"], ["2", "4"], ["3", "9"]]}
            - {id: sound, kind: wave, at: "D1:F3", harmonics: [[1, 1], [3, 0.33], [5, 0.2]], periods: 2, color: 1}
            - {id: left, kind: dot, at: B5, radius: 16, color: 0}
            - {id: right, kind: dot, at: E5, radius: 16, color: 2}
            - {id: pair, kind: group, members: [left, right]}
          steps:
            - {line: 0, do: write, target: grid}
            - {line: 1, do: create, target: sound, duration: 2}
            - {line: 2, do: indicate, target: pair, style: pulse}
        """,
        """
        scene:
          params: {theta: 0}
          objects:
            - {id: plane, kind: plane, at: "A1:F6", x: [-1.5, 1.5], y: [-1.2, 1.2], complex: true, grid: 0.5}
            - {id: unit, kind: circle, on: plane, at: [0, 0], radius: 1, color: 1}
            - {id: ray, kind: arrow, on: plane, from: [0, 0], to: ["cos(theta)", "sin(theta)"], color: 2}
            - {id: z, kind: dot, on: plane, at: ["cos(theta)", "sin(theta)"], color: 2}
            - {id: readout, kind: text, at: "E1", text: "θ = {theta:.2f}", size: 32}
          steps:
            - {line: 0, do: create, target: unit, duration: 1}
            - {line: 1, do: animate, param: theta, to: 3.1416, duration: 3}
            - {line: 2, do: zoom, to: z, duration: 1}
            - {line: 2, do: pan, by: [-120, 0], duration: 0.8}
            - {line: 2, do: zoom, to: all, duration: 1}
        """,
        """
        scene:
          params: {shown: 1}
          objects:
            - id: fib
              kind: code
              at: "A1:F4"
              language: python
              lines: shown
              mark: "shown >= 3 ? 2 : 0"
              code: |
                def fib(n):
                    if n < 2:
                        return n
                    return fib(n - 1) + fib(n - 2)
            - {id: note, kind: text, at: "A6:F6", text: 'it calls itself: $T(n) = T(n-1) + T(n-2)$', size: 34}
          steps:
            - {line: 0, do: fade_in, target: fib, duration: 0.6}
            - {line: 1, do: animate, param: shown, to: 4, duration: 2}
            - {line: 2, do: write, target: note}
        """,
        """
        scene:
          objects:
            - id: roads
              kind: network
              at: "A1:F5"
              nodes: [s, a, b, c, {id: t, label: goal, color: 2}]
              edges: [[s, a, 4], [s, b, 1], [b, a, 2], [a, c, 5], [b, c, 8], [c, t, 3]]
              layout: layered
              directed: true
            - {id: note, kind: text, at: "B6:E6", text: "shortest: s, b, a, c, goal", size: 32}
          steps:
            - {line: 0, do: create, target: roads, duration: 1.5}
            - {line: 1, do: indicate, target: roads, part: s-b}
            - {line: 1, do: indicate, target: roads, part: b-a}
            - {line: 2, do: write, target: note}
        """,
        """
        scene:
          params: {a: 1.6}
          objects:
            - {id: axes, kind: axes, at: "A1:D5", x: [-2, 2], y: [-0.5, 4]}
            - {id: bowl, kind: graph, on: axes, y: "x^2", color: 1}
            - {id: roof, kind: graph, on: axes, y: "3.5 - x^2 / 4", color: 2}
            - {id: lens, kind: area, of: roof, to: bowl, x: [-1.67, 1.67]}
            - {id: slope, kind: tangent, of: bowl, x: a, length: 260, color: 3}
            - {id: hops, kind: polyline, on: axes, points: {var: k, from: 0, to: 8, point: ["1.8 * (-0.7)^k", "(1.8 * 0.7^k)^2"]}, color: 0}
            - {id: wedge, kind: polyline, points: [[1560, 950], [1820, 950], [1820, 560]], closed: true, color: text, line: 2}
            - {id: corner, kind: angle, vertex: [1820, 950], from: [1560, 950], to: [1820, 560], color: 3, line: 2}
            - {id: alpha, kind: angle, vertex: [1560, 950], from: [1820, 950], to: [1820, 560], radius: 80, label: "α", color: 1, line: 2}
          steps:
            - {line: 0, do: create, target: bowl, duration: 1}
            - {line: 0, do: fade_in, target: lens}
            - {line: 1, do: animate, param: a, to: -1.6, duration: 3}
            - {line: 2, do: create, target: hops, duration: 2}
        """,
    ]

    /// The shape every reply takes: objects, then the steps of each lecture line in order.
    static let skeleton = #"""
        # Shape of a reply

        One ```yaml block holding the mapping under `scene:`: every object the section shows, each
        with an `id`, then the steps, grouped by the lecture line they belong to, in order.

        ```yaml
        scene:
          objects:
            - {id: formula, kind: math, at: "B1:E2", tex: 'e^{i\pi} = -1'}
            - {id: note, kind: text, at: "B5:E5", text: "half a turn", line: 1}
          steps:
            # line 0: what lecture line 0 says
            - {line: 0, do: write, target: formula}
            # line 1: what lecture line 1 says
            - {line: 1, do: indicate, target: formula}
        ```
        """#

    /// What models most often get wrong about the scene language.
    static let pitfalls = #"""
        # Pitfalls

        - TeX goes in single quotes ('\frac{a}{b}'): inside double quotes YAML reads a backslash as an escape.
        - Quote areas and expressions that hold `:`, `,` or spaces: "A1:C3", "2 * sin(t)".
        - Use only the keys of the tables above. There is no `position`, `label` (but on an `angle`),
          `font_size`, `width`, or `x`/`y` on a text; colours are an accent index, `text`, `background` or "#RRGGBB".
        - An object that a step brings in (`create`, `write`, `fade_in`, `grow`, or the `into` of a
          `transform`) has no `line` and no `entrance`. Every other object enters at the start of its `line`.
        - A step animates only an object that has entered and not left; `wait` and `animate` take no `target`.
        - `line` is a 0-based index into the lecture lines; a step without one belongs to the previous step's line.
        - Place objects with grid cells A1..F6 so they stay in the visual area, out of the title bar and
          the lecture column; keep texts apart and at least size 24.
        - Reply with the YAML block only: no prose after it, no second block.
        """#

    /// A request exactly as the Coder receives it, and a good reply to it.
    static var workedExample: String {
        let request = CodeRequest(sectionTitle: "Adding waves", storyboard: workedStoryboard, durationHint: nil)
        return "# A request and its reply\n\nThe user message:\n\n" + LLMCoder.task(for: request)
            + "\n\nA good reply:\n\n```yaml\n" + workedReply + "\n```"
    }

    static let workedStoryboard = Storyboard(lectureLines: ["A sine wave repeats", "Adding its third harmonic sharpens it"],
                                             animations: ["Plot sin(x) on axes", "Add sin(3x)/3 and show the sum"])
    static let workedReply = """
        scene:
          params: {k: 0}
          objects:
            - {id: axes, kind: axes, at: "A1:F5", x: [-pi, pi], y: [-1.5, 1.5]}
            - {id: wave, kind: graph, on: axes, y: "sin(x) + k * sin(3*x) / 3", color: 1}
            - {id: label, kind: math, at: "B6:E6", tex: '\\sin x + \\tfrac{1}{3}\\sin 3x', size: 40}
          steps:
            # line 0: a sine wave repeats
            - {line: 0, do: create, target: axes, duration: 1}
            - {line: 0, do: create, target: wave, duration: 1.5}
            # line 1: adding its third harmonic sharpens it
            - {line: 1, do: animate, param: k, to: 1, duration: 2}
            - {line: 1, do: write, target: label}
        """

    static let coder: String = """
        You write scene programs for c2v, an explainer-video renderer. A scene is YAML data, never code.
        The reference below is exactly what the parser accepts; anything else is an error.
        Keep every object inside the visual area (grid A1..F6), texts apart, and text size at least 24.

        """ + sceneLanguage + "\n\n# Formulas (`math` objects, `tex`)\n\n" + mathReference + "\n\n" + skeleton + "\n\n" + pitfalls
        + "\n\n" + workedExample + "\n\n# Examples\n\n" + examples.map { "```yaml\n\($0)\n```" }.joined(separator: "\n\n")

    /// A prompt's SHA-256 (hex), for step keys: any edit to a prompt changes the keys that used it.
    static func digest(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Prompt sizes, for forecasting what agent calls will cost.
public enum AgentPrompts {
    public static var plannerCharacters: Int { Prompts.planner.count }
    public static var coderCharacters: Int { Prompts.coder.count }
    /// Tokens of a text of this many characters, as the client estimates them when a server
    /// reports none.
    public static func estimatedTokens(characters: Int) -> Int { ChatDialect.estimatedTokens(characters) }
}
