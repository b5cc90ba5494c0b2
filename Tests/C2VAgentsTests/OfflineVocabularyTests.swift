import Testing
import C2VScene
@testable import C2VAgents

/// The offline Coder draws with the new vocabulary where a line asks for it: a tangent, an area
/// under a curve, the complex plane.
@Suite struct OfflineVocabularyTests {
    @Test(arguments: [
        ("The derivative is the slope of the tangent line", VisualIdea.tangent),
        ("Slide the tangent along the curve", .tangent),
        ("The integral is the area under the curve", .areaUnder),
        ("Riemann sums add up thin rectangles", .areaUnder),
        ("Euler's formula turns a point on the unit circle", .complexRotation),
        ("A complex number is a point on the plane", .complexRotation),
    ])
    func lineGivesItsIdea(line: String, idea: VisualIdea) {
        #expect(VisualIdea.choose(for: line) == idea)
    }

    @Test(arguments: ["It is a slippery slope", "This is a complex problem", "Let us not go off on a tangent"])
    func figuresOfSpeechDoNotDraw(line: String) {
        let idea = VisualIdea.choose(for: line)
        #expect(idea != .tangent && idea != .complexRotation && idea != .areaUnder, "\(idea)")
    }

    @Test(arguments: [VisualIdea.tangent, .areaUnder, .complexRotation])
    func itsSceneParsesAndPassesTheCriticAndReadsBack(idea: VisualIdea) async throws {
        // The Planner's description of the idea reads back as the same idea.
        #expect(VisualIdea.choose(for: idea.description) == idea)
        let board = Storyboard(lectureLines: ["Before", "The picture", "After"], animations: ["Draw a triangle", idea.description, "Draw a star"])
        let scene = try await OfflineCoder().code(CodeRequest(sectionTitle: "Samples", storyboard: board, durationHint: nil))
        let kinds = Set(scene.objects.filter { $0.id.hasPrefix("l2_") }.map(\.kind))
        switch idea {
        case .tangent: #expect(kinds.contains(.tangent))
        case .areaUnder: #expect(kinds.contains(.area))
        default: #expect(kinds.contains(.plane))
        }
        // Nothing of it shows before its line: every object enters by a step of line 1.
        for object in scene.objects where object.id.hasPrefix("l2_") {
            #expect(object.appear >= scene.lines[1].start - 1e-9, "\(object.id) appears at \(object.appear)")
        }
        // Its readout is live: it reads a param the step animates.
        #expect(scene.objects.contains { $0.id.hasPrefix("l2_") && $0.liveText != nil })
        let errors = LayoutCheck.run(scene, measurer: ApproximateTextMeasurer(), outputHeight: 720).filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.map(\.description))")
    }
}
