import Testing
import C2VLesson
import C2VScene
@testable import C2VRender

/// Text with math inside, as the renderer sets it and the Critic measures it.
@Suite struct MixedTextTests {
    @Test func mathInsideTextIsWiderThanItsWordsAndLeadingSpacesAreSafe() throws {
        let measurer = try PangoTextMeasurer(fontFamily: Theme.default.font, width: 640, height: 360)
        let words = measurer.measure("Half a turn:", fontSize: 40, bold: false, wrapWidth: nil)
        let mixed = measurer.measure("Half a turn: $e^{i\\pi} = -1$", fontSize: 40, bold: false, wrapWidth: nil)
        #expect(mixed.width > words.width + 80, "\(mixed) vs \(words)")
        // Spaces before the first word or formula do not break the layout.
        let leading = measurer.measure("  $x$ and y", fontSize: 40, bold: false, wrapWidth: nil)
        #expect(leading.width > 0 && leading.height > 0)
        // Wrapped, a long line with a formula takes more than one row and no wider than allowed.
        let long = measurer.measure("the sum $\\sum_{k=1}^{n} k$ grows like the square of n, which is the point here",
                                    fontSize: 40, bold: false, wrapWidth: 500)
        #expect(long.width <= 500 + 1 && long.height > mixed.height * 1.5)
    }
}
