import Foundation
import Testing
@testable import C2VMath

/// One formula rendered to `Golden/<name>.png`.
struct GoldenCase: Sendable, CustomTestStringConvertible {
    var name: String
    var source: String
    var display: Bool

    var testDescription: String { name }

    init(_ name: String, _ source: String, display: Bool = false) {
        self.name = name
        self.source = source
        self.display = display
    }

    /// Every construct the typesetter supports appears in at least one of these.
    static let all: [GoldenCase] = [
        GoldenCase("fourier_series", #"f(x) = \frac{a_0}{2} + \sum_{n=1}^{\infty} \left( a_n \cos(nx) + b_n \sin(nx) \right)"#, display: true),
        GoldenCase("fourier_coefficient", #"b_n = \frac{4}{n\pi}"#, display: true),
        GoldenCase("scripts", #"x^2 + y_i^{2k} - e^{-x^2}"#),
        GoldenCase("nested_scripts", #"a_{i_j}^{k^2} + x'_1"#),
        GoldenCase("continued_fraction", #"\frac{1}{1 + \frac{1}{x}}"#, display: true),
        GoldenCase("dfrac_inline", #"\dfrac{a}{b} + \frac{c}{d}"#),
        GoldenCase("sqrt", #"\sqrt{x^2 + y^2}"#),
        GoldenCase("sqrt_index", #"\sqrt[3]{\frac{a}{b}} = \sqrt[n]{x}"#, display: true),
        GoldenCase("sum_display", #"\sum_{k=0}^{n} k^2"#, display: true),
        GoldenCase("sum_inline", #"\sum_{k=0}^{n} k^2"#),
        // `\oint` is left out: DejaVu has no such glyph, so it comes from whichever fallback font
        // the machine has, and the golden would depend on installed fonts.
        GoldenCase("integrals", #"\int_0^1 x\,dx + \int_C \vec{F} \cdot d\vec{r}"#, display: true),
        GoldenCase("product_limit", #"\prod_{i=1}^{n} x_i \quad \lim_{x \to 0} \frac{\sin x}{x} = 1"#, display: true),
        GoldenCase("delimiters", #"\left[ \frac{a}{b} \right] \left\{ x \right\} \left| \frac{1}{2} \right| \left\| v \right\|"#, display: true),
        GoldenCase("angle_and_dot", #"\left\langle \frac{\psi}{2} \right\rangle \left. \frac{df}{dx} \right|_{x=0}"#, display: true),
        GoldenCase("greek_lower", #"\alpha \beta \gamma \delta \epsilon \zeta \eta \theta \lambda \mu \pi \rho \sigma \tau \phi \omega"#),
        GoldenCase("greek_upper", #"\Gamma \Delta \Theta \Lambda \Xi \Pi \Sigma \Phi \Psi \Omega"#),
        GoldenCase("binary_operators", #"a \cdot b \times c \div d \pm e \mp f"#),
        GoldenCase("relations", #"a \le b \ge c \ne d \approx e \equiv f \leq g \geq h \neq i"#),
        GoldenCase("arrows_and_sets", #"x \to \infty, f: A \mapsto B, P \Rightarrow Q, x \in A \subset B \cup C \cap D"#),
        GoldenCase("calculus_symbols", #"\partial_t u = \nabla^2 u, \quad 1, \ldots, n, \quad 1 + \cdots + n"#),
        GoldenCase("fonts", #"\mathrm{d}x \; \mathbf{v} \; \mathit{Re} \; \mathbb{R}^n \; \text{for all } x"#),
        GoldenCase("accents", #"\hat{x} \bar{y} \vec{v} \dot{x} \tilde{n} \hat{A}"#),
        GoldenCase("over_under", #"\overline{z + w} = \underline{\bar z + \bar w}"#),
        GoldenCase("spacing", #"a\,b\;c\:d\!e\quad f\qquad g"#),
        GoldenCase("functions", #"\sin^2 x + \cos^2 x = 1, \tan\theta, \log_2 n, \ln x, \exp(x), \max_i a_i, \min(a,b)"#),
        GoldenCase("operatorname", #"\operatorname{sgn}(x) + \operatorname{tr} A"#),
        GoldenCase("pmatrix", #"A = \begin{pmatrix} a & b \\ c & d \end{pmatrix}"#, display: true),
        GoldenCase("bmatrix", #"R = \begin{bmatrix} 1 & 0 & 0 \\ 0 & \cos\theta & -\sin\theta \\ 0 & \sin\theta & \cos\theta \end{bmatrix}"#, display: true),
        GoldenCase("cases", #"|x| = \begin{cases} x & \text{if } x \ge 0 \\ -x & \text{otherwise} \end{cases}"#, display: true),
        GoldenCase("color", #"\color{red}{a^2} + \color{#2F6FEB}{b^2} = c^2"#),
        GoldenCase("mathid", #"E = \mathid{mass}{m} \mathid{light}{c^2}"#),
        GoldenCase("euler", #"e^{i\pi} + 1 = 0"#),
        GoldenCase("quadratic", #"x = \frac{-b \pm \sqrt{b^2 - 4ac}}{2a}"#, display: true),
        GoldenCase("gaussian", #"\int_{-\infty}^{\infty} e^{-x^2}\,dx = \sqrt{\pi}"#, display: true),
        GoldenCase("binom_and_big", #"\binom{n}{k} = \frac{n!}{k!(n-k)!} \big( x \big) \Big[ y \Big]"#),
        GoldenCase("limits_inline", #"\lim_{n \to \infty} \left(1 + \frac{1}{n}\right)^n = e"#),
    ]
}

/// Renders each formula and compares it with the PNG checked in beside this file.
/// `C2V_RECORD_GOLDEN=1 swift test --filter C2VMathTests` re-records them.
@Suite struct GoldenImageTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let recording = ProcessInfo.processInfo.environment["C2V_RECORD_GOLDEN"] == "1"

    @Test(arguments: GoldenCase.all)
    func matchesGolden(_ golden: GoldenCase) throws {
        let typesetter = try MathTypesetter()
        let box = typesetter.layout(try MathFormula(golden.source), fontSize: 24, display: golden.display)
        let image = try typesetter.renderImage(box, padding: 6, minHeight: 64)
        let path = Self.directory.appendingPathComponent(golden.name + ".png").path
        if Self.recording {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try image.writePNG(to: path)
            return
        }
        guard FileManager.default.fileExists(atPath: path) else {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try image.writePNG(to: path)
            Issue.record("no golden image for \(golden.name): recorded golden, rerun")
            return
        }
        let expected = try MathCanvas(png: path)
        let actualPath = FileManager.default.temporaryDirectory.appendingPathComponent("c2v-math-\(golden.name).png").path
        guard let difference = image.difference(from: expected, threshold: 64) else {
            try image.writePNG(to: actualPath)
            Issue.record("\(golden.name): size \(image.width)x\(image.height), golden \(expected.width)x\(expected.height); actual at \(actualPath)")
            return
        }
        if !(difference.mean < 0.02 && difference.farPixels < 0.01) {
            try image.writePNG(to: actualPath)
        }
        #expect(difference.mean < 0.02, "\(golden.name): mean difference \(difference.mean); actual at \(actualPath)")
        #expect(difference.farPixels < 0.01, "\(golden.name): \(difference.farPixels) of pixels differ by > 64; actual at \(actualPath)")
    }

    @Test func everyGoldenHasACase() throws {
        let names = Set(GoldenCase.all.map(\.name))
        #expect(names.count == GoldenCase.all.count, "golden names must be unique")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: Self.directory.path)) ?? []
        let stale = files.filter { $0.hasSuffix(".png") && !names.contains(String($0.dropLast(4))) }
        #expect(stale.isEmpty, "golden images with no test case: \(stale)")
    }
}
