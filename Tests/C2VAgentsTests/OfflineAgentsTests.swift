import Testing
import C2VLesson
@testable import C2VAgents
@testable import C2VScene

func wordCount(_ line: String) -> Int { line.split(whereSeparator: \.isWhitespace).count }

/// `text` without leading and trailing characters from `characters`.
func strip(_ text: some StringProtocol, _ characters: String) -> String {
    var s = Substring(text)
    while let f = s.first, characters.contains(f) { s = s.dropFirst() }
    while let l = s.last, characters.contains(l) { s = s.dropLast() }
    return String(s)
}

func request(_ brief: String) -> PlanRequest {
    PlanRequest(lessonTitle: "Fourier Series", audience: "students", sectionTitle: "Intro", brief: brief)
}

@Suite struct OfflinePlannerTests {
    static let thirtyWords = "A periodic signal such as the sound of a violin string can be rebuilt from many simple "
        + "sine waves whose frequencies are whole multiples of the lowest one we hear."
    static let commas = "Start with a sine, add its third harmonic, then its fifth, and watch the sum, slowly but surely, "
        + "turn into a square wave with sharp corners everywhere."
    static let briefs = [
        "Waves repeat.",
        "Fourier series build any periodic signal from sines. Each harmonic adds detail; more terms sharpen the corners of a square wave.",
        thirtyWords,
        commas,
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
            + "eighteen nineteen twenty twentyone twentytwo twentythree twentyfour twentyfive",
        "Joseph Fourier — a French mathematician — studied heat flow in solid bodies and found that sums of sines could describe it.",
        "First. Second. Third. Fourth. Fifth. Sixth. Seventh.",
        "  lots   of\n\nspace\tand new lines  ",
        "",
        "...!?;",
        ", , , , , , , , , , , , , ,",
    ]

    @Test func thirtyWordBriefIsOneSentenceOfThirtyWords() {
        #expect(wordCount(Self.thirtyWords) == 30)
    }

    @Test(arguments: briefs)
    func storyboardShape(brief: String) async throws {
        let board = try await OfflinePlanner().plan(request(brief))
        #expect((1...5).contains(board.lectureLines.count))
        for line in board.lectureLines {
            #expect(wordCount(line) <= 10, "too many words: \(line)")
            #expect(!strip(line, " ").isEmpty, "empty line in \(board.lectureLines)")
            #expect(line == strip(line, " ,:"), "untidy line: \(line)")
        }
        #expect(board.animations.count == board.lectureLines.count)
        #expect(board.animations.allSatisfy { !$0.isEmpty })
    }

    @Test(arguments: briefs)
    func deterministic(brief: String) async throws {
        let a = try await OfflinePlanner().plan(request(brief))
        let b = try await OfflinePlanner().plan(request(brief))
        #expect(a == b)
    }

    @Test func longSentenceIsSplitKeepingEveryWord() {
        let lines = OfflinePlanner.lectureLines(from: Self.thirtyWords)
        #expect(lines.count >= 3)
        #expect(lines.allSatisfy { wordCount($0) <= 10 })
        #expect(lines.joined(separator: " ") == String(Self.thirtyWords.dropLast()))
    }

    @Test func commaBriefBreaksAtCommasOrConjunctions() {
        let lines = OfflinePlanner.lectureLines(from: Self.commas)
        #expect(lines.allSatisfy { wordCount($0) <= 10 })
        #expect(lines.first?.hasPrefix("Start with a sine") == true)
        // Commas at a break are dropped, and only the sentence's first clause is capitalised.
        #expect(lines.allSatisfy { !$0.hasSuffix(",") })
        #expect(lines.dropFirst().allSatisfy { $0.first?.isLowercase == true })
        let words = lines.flatMap { $0.split(separator: " ").map { strip($0, ",.") } }
        #expect(words == Self.commas.split(separator: " ").map { strip($0, ",.") })
    }

    @Test func sentencesBecomeLines() {
        #expect(OfflinePlanner.lectureLines(from: "waves repeat. sines build everything!")
                == ["Waves repeat", "Sines build everything"])
    }

    @Test func clauseSplitNearTheMiddle() {
        // 12 words; a comma before "then" (index 5) is nearest the middle (6).
        #expect(OfflinePlanner.lectureLines(from: "Start with one sine wave, then add odd harmonics one by one.")
                == ["Start with one sine wave", "then add odd harmonics one by one"])
    }

    @Test func wordChunksWhenThereIsNoPlaceToBreak() {
        let words = (1...30).map { "w\($0)" }
        let lines = OfflinePlanner.lectureLines(from: words.joined(separator: " "))
        #expect(lines == ["W1 w2 w3 w4 w5 w6 w7 w8 w9 w10",
                          "w11 w12 w13 w14 w15 w16 w17 w18 w19 w20",
                          "w21 w22 w23 w24 w25 w26 w27 w28 w29 w30"])
        let eleven = OfflinePlanner.lectureLines(from: (1...11).map { "w\($0)" }.joined(separator: " "))
        #expect(eleven == ["W1 w2 w3 w4 w5 w6", "w7 w8 w9 w10 w11"])
    }

    @Test func atMostFiveLinesKeepingTheFirst() {
        #expect(OfflinePlanner.lectureLines(from: "First. Second. Third. Fourth. Fifth. Sixth. Seventh.")
                == ["First", "Second", "Third", "Fourth", "Fifth"])
    }

    @Test func emptyBriefStillGivesALine() {
        #expect(OfflinePlanner.lectureLines(from: "") == ["(no brief given)"])
        #expect(OfflinePlanner.lectureLines(from: " . ; \n ") == ["(no brief given)"])
    }

    @Test func animationsDescribeTheChosenVisual() async throws {
        let board = try await OfflinePlanner().plan(request("Waves repeat. Sines build everything!"))
        #expect(board == Storyboard(lectureLines: ["Waves repeat", "Sines build everything"],
                                    animations: ["Plot a sine wave on axes", "Stack two harmonics and show their sum"],
                                    spoken: ["Waves repeat.", "Sines build everything."]))
    }

    @Test func identityNamesTheVersion() {
        #expect(OfflinePlanner().identity == "offline-planner/3")
        #expect(OfflineCoder().identity == "offline-coder/4")
    }
}

@Suite struct VisualIdeaTests {
    @Test func choices() {
        #expect(VisualIdea.choose(for: "A square wave has sharp corners") == .squareWave(terms: 3))
        #expect(VisualIdea.choose(for: "Plot a square wave from its first 12 odd harmonics") == .squareWave(terms: 12))
        #expect(VisualIdea.choose(for: "Use the first 40 terms of the square wave") == .squareWave(terms: 25))
        #expect(VisualIdea.choose(for: "More terms sharpen the corners") == .squareWave(terms: 12))
        #expect(VisualIdea.choose(for: "A square wave up to harmonic 9") == .squareWave(terms: 5))
        #expect(VisualIdea.choose(for: "A point rotating on a circle") == .rotatingCircle)
        #expect(VisualIdea.choose(for: "Add the harmonics together") == .harmonicSum)
        #expect(VisualIdea.choose(for: "Sound is a vibration") == .sine)
        #expect(VisualIdea.choose(for: "The coefficient a_n = 2/n") == .formula("a_n = 2/n"))
        #expect(VisualIdea.choose(for: "Joseph Fourier lived in France") == .card("Joseph Fourier lived in France"))
        #expect(VisualIdea.choose(for: "the of and") == .card("…"))
    }

    @Test func descriptions() {
        #expect(VisualIdea.squareWave(terms: 12).description == "Plot a square wave from its first 12 odd harmonics")
        #expect(VisualIdea.card("Fourier").description == "Show the key phrase \"Fourier\" on a card")
    }

    @Test(arguments: [VisualIdea.sine, .squareWave(terms: 1), .squareWave(terms: 3), .squareWave(terms: 12),
                      .harmonicSum, .rotatingCircle, .card("Inscribed square touches the circle"), .card("…"),
                      .highlight("compare, then swap"), .shape("square"), .shape("circle"), .morph("circle", "square"),
                      .list(["Sines", "Cosines"]), .plot("x^2 - 1")])
    func descriptionReadsBackAsTheSameIdea(idea: VisualIdea) {
        #expect(VisualIdea.choose(for: idea.description) == idea)
    }

    @Test func formulaDescriptionReadsBackAsTheSameFormula() {
        let idea = VisualIdea.formula("a_n = 1/n")
        #expect(VisualIdea.choose(for: idea.description) == idea)
    }

    @Test func highestHarmonicWrittenAsSinKx() {
        // The doc comment of squareWaveTerms: `sin(5x)` -> 3 odd terms; so sin(9x) -> 5.
        #expect(VisualIdea.choose(for: "A square wave built up to sin(9x)") == .squareWave(terms: 5))
    }

    @Test func sinceIsNotASine() {
        #expect(VisualIdea.choose(for: "Since then everyone used it") == .card("Since then everyone used it"))
    }
}

@Suite struct OfflineCoderTests {
    static let storyboard = Storyboard(
        lectureLines: ["Waves repeat in time", "A square wave jumps", "More terms sharpen corners"],
        animations: ["Plot a sine wave on axes", "Plot a square wave from its first 12 odd harmonics",
                     "Stack two harmonics and show their sum"])

    @Test func linesFollowTheStoryboardAndFillTheHint() async throws {
        let scene = try await OfflineCoder().code(CodeRequest(sectionTitle: "Square waves", storyboard: Self.storyboard,
                                                              durationHint: 9))
        #expect(scene.title == "Square waves")
        #expect(scene.lines.map(\.text) == Self.storyboard.lectureLines)
        #expect(scene.lines.first?.start == 0)
        for (a, b) in zip(scene.lines, scene.lines.dropFirst()) { #expect(a.end == b.start) }
        // The author's hint is kept; steps that need longer than their line are sped up.
        #expect(abs((scene.lines.last?.end ?? 0) - 9) < 1e-9)
        #expect(abs(scene.duration - (scene.lines.last?.end ?? 0)) < 1e-9)
        #expect(scene.objects.map(\.id) == ["l1_axes", "l1_wave", "l2_axes", "l2_wave", "l2_label", "l3_h1", "l3_h3", "l3_sum"])
        for object in scene.objects {
            #expect(object.appear >= 0 && object.appear < scene.duration, "\(object.id) appears at \(object.appear)")
            if let disappear = object.disappear {
                #expect(disappear > object.appear && disappear <= scene.duration, "\(object.id) leaves at \(disappear)")
            }
        }
        // Each line's visual appears with its line; the last line's stays to the end.
        #expect(scene.objects.first { $0.id == "l2_axes" }?.appear == scene.lines[1].start)
        #expect(scene.objects.filter { $0.id.hasPrefix("l3_") }.allSatisfy { $0.disappear == nil })
        // Every step belongs to the line whose visuals it animates, and runs inside that line.
        for a in scene.animations {
            #expect(a.start >= scene.lines[a.line].start - 1e-9 && a.end <= scene.lines[a.line].end + 1e-9, "\(a)")
        }
    }

    @Test func squareWaveFromTwelveOddHarmonics() async throws {
        let scene = try await OfflineCoder().code(CodeRequest(sectionTitle: "S", storyboard: Self.storyboard, durationHint: nil))
        let wave = try #require(scene.objects.first { $0.id == "l2_wave" })
        #expect(wave.kind == .graph && wave.on == "l2_axes")
        #expect(wave.expressions?.first?.source.contains("sum(k, 0, n2 - 1") == true)
        #expect(scene.params == [SceneParam(name: "n2", initial: 1)])
        let grow = try #require(scene.animations.first { $0.kind == .animate })
        #expect(grow.param == "n2" && grow.value == 12 && grow.line == 1)
        #expect(scene.objects.first { $0.id == "l2_label" }?.text == "up to 12 odd harmonics")
    }

    @Test func naturalDurationWithoutHint() async throws {
        let scene = try await OfflineCoder().code(CodeRequest(sectionTitle: "S", storyboard: Self.storyboard, durationHint: nil))
        // Three lines of four words: 2.6 s each, but line 1 needs 2.7 s of steps, line 2 5.5 s and line 3 3.0 s.
        #expect(abs(scene.duration - 11.2) < 1e-9)
        #expect(abs((scene.lines.last?.end ?? 0) - scene.duration) < 1e-12)
    }

    @Test func missingAnimationsFallBackToTheLineText() async throws {
        let board = Storyboard(lectureLines: ["A circle turns", "Joseph Fourier lived in France"], animations: [])
        let scene = try await OfflineCoder().code(CodeRequest(sectionTitle: "S", storyboard: board, durationHint: 4))
        #expect(scene.objects.map(\.id) == ["l1_circle", "l1_radius", "l1_centre", "l2_card", "l2_phrase", "l2_phrase2"])
        #expect(scene.objects.filter { $0.id.hasPrefix("l2_phrase") }.map(\.text) == ["Joseph Fourier", "lived in France"])
    }

    @Test func cardDescriptionFallsBackToTheLine() async throws {
        // An animation that names no visual gives a card; the Coder then reads the line instead.
        let board = Storyboard(lectureLines: ["Sines repeat"], animations: ["Something nice"])
        let scene = try await OfflineCoder().code(CodeRequest(sectionTitle: "S", storyboard: board, durationHint: nil))
        #expect(scene.objects.map(\.id) == ["l1_axes", "l1_wave"])
    }

    @Test func emptyStoryboard() async throws {
        let board = Storyboard(lectureLines: [], animations: [])
        let scene = try await OfflineCoder().code(CodeRequest(sectionTitle: "S", storyboard: board, durationHint: nil))
        #expect(scene.lines.isEmpty && scene.objects.isEmpty)
        #expect(scene.duration == 4)
        let hinted = try await OfflineCoder().code(CodeRequest(sectionTitle: "S", storyboard: board, durationHint: 7))
        #expect(hinted.duration == 7)
    }

    @Test func plannerThenCoderIsDeterministic() async throws {
        let board = try await OfflinePlanner().plan(request(OfflinePlannerTests.commas))
        let request = CodeRequest(sectionTitle: "S", storyboard: board, durationHint: 12)
        let a = try await OfflineCoder().code(request)
        let b = try await OfflineCoder().code(request)
        #expect(a == b)
        #expect(a.lines.map(\.text) == board.lectureLines)
        #expect(a.objects.allSatisfy { $0.appear < a.duration })
    }

    @Test func objectsAppearBeforeAShortSectionEnds() async throws {
        // Five one-word lines squeezed into 2 s: 0.4 s each. Each line's three `create` steps need
        // 3 s, so they are sped up to fit and every visual still appears inside the section.
        let board = Storyboard(lectureLines: ["One", "Two", "Three", "Four", "Five"],
                               animations: Array(repeating: "Stack two harmonics and show their sum", count: 5))
        let scene = try await OfflineCoder().code(CodeRequest(sectionTitle: "S", storyboard: board, durationHint: 2))
        #expect(abs(scene.duration - 2) < 1e-9)
        for a in scene.animations { #expect(a.end <= scene.lines[a.line].end + 1e-9) }
        for object in scene.objects {
            #expect(object.appear < scene.duration, "\(object.id) appears at \(object.appear) s of \(scene.duration) s")
        }
    }

    @Test func plannedFormulaIsDrawnAsPlanned() async throws {
        let line = "The coefficient is a_n = 1/n"
        let board = try await OfflinePlanner().plan(request(line + "."))
        #expect(board.lectureLines == [line])
        #expect(board.animations == ["Show the formula a_n = 1/n in a box"])
        let scene = try await OfflineCoder().code(CodeRequest(sectionTitle: "S", storyboard: board, durationHint: nil))
        let formula = try #require(scene.objects.first { $0.id == "l1_formula" })
        #expect(formula.kind == .math && formula.text == "a_n = 1/n")
    }
}
