import Testing
import C2VLesson
@testable import C2VAgents
@testable import C2VScene

/// The offline agents' keyword rules read a line in context, and a line that fits none gets a
/// card of its key phrase rather than a plot of the wrong topic.
@Suite struct VisualIdeaRuleTests {
    static let lines: [(String, VisualIdea)] = [
        // Squares: a wave only among words about waves.
        ("An inscribed square touches the circle at four points", .card("Inscribed square touches the circle")),
        ("Adding odd harmonics builds a square wave", .squareWave(terms: 3)),
        ("A square wave jumps between +1 and -1", .squareWave(terms: 3)),
        ("Show a square wave", .squareWave(terms: 3)),
        ("Fourier series turn a square into a sum of sines", .squareWave(terms: 3)),
        ("The square root of two is irrational", .card("Square root of two is irrational")),
        ("The area of a square is its side squared", .card("Area of a square is its side squared")),
        ("The cost grows with the square of n", .card("Cost grows with the square of n")),
        ("Draw a square", .shape("square")),
        ("The Gibbs free energy decides the reaction", .card("Gibbs free energy decides the reaction")),
        ("The Gibbs overshoot never goes away", .squareWave(terms: 12)),
        ("Let's jump into recursion", .card("Jump into recursion")),
        // Terms are counted only from numbers about harmonics or terms.
        ("Thirteen odd harmonics build a square wave", .squareWave(terms: 13)),
        ("A square wave with 5 harmonics", .squareWave(terms: 5)),
        ("Use 7 terms of the square wave", .squareWave(terms: 7)),
        ("A square wave drawn 2 times", .squareWave(terms: 3)),
        ("In 1822 Fourier drew a square wave", .squareWave(terms: 3)),
        // Sine and sign, cos and cost.
        ("Sine waves are smooth", .sine),
        ("Check the sign of each term", .card("Check the sign of each term")),
        ("How much does a pass cost", .card("How much does a pass cost")),
        ("A heat wave hit Paris", .card("Heat wave hit Paris")),
        ("Sound, light and heartbeats all repeat in time", .sine),
        ("Repeat the pass until nothing moves", .card("Repeat the pass until nothing moves")),
        ("Frequently asked questions", .card("Frequently asked questions")),
        // Circles that turn, and circling back.
        ("A circle turning at constant speed", .rotatingCircle),
        ("We will circle back to this later", .card("Circle back to this later")),
        ("Draw a circle", .shape("circle")),
        ("Now it is your turn to try", .card("It is your turn to try")),
        // Sums of waves, and sums of anything else.
        ("Add the harmonics together", .harmonicSum),
        ("Sines build everything", .harmonicSum),
        ("The sum of the digits is nine", .card("Sum of the digits is nine")),
        // No rule fits: a card of the key phrase, lead-ins and articles gone.
        ("Notice that the list is now sorted", .card("List is now sorted")),
        ("Let's count the moves", .card("Count the moves")),
        ("Key idea: recursion solves smaller copies", .card("Recursion solves smaller copies")),
        ("Sorting puts a list in order, smallest first", .card("Sorting puts a list in order")),
        ("Large values bubble to the end like air in water", .card("Large values bubble to the end")),
        ("and swaps neighbours that are out of order", .card("Swaps neighbours that are out of order")),
        ("For n disks the puzzle needs 2^n - 1 moves", .card("For n disks the puzzle needs 2^n - 1 moves")),
    ]

    @Test(arguments: lines)
    func lineGivesItsIdea(line: String, expected: VisualIdea) {
        #expect(VisualIdea.choose(for: line) == expected)
    }

    @Test("The issue's line draws no square wave, nor anything about harmonics")
    func inscribedSquareIsNoSquareWave() async throws {
        let board = Storyboard(lectureLines: ["An inscribed square touches the circle at four points"], animations: [])
        let scene = try await OfflineCoder().code(CodeRequest(sectionTitle: "Squares in circles", storyboard: board, durationHint: nil))
        #expect(!scene.objects.contains { $0.kind == .graph || $0.kind == .axes })
        #expect(!scene.objects.contains { ($0.text ?? "").contains("harmonic") })
        #expect(scene.objects.filter { $0.kind == .text }.map(\.text) == ["Inscribed square", "touches the circle"])
    }

    static let keyPhrases: [(String, String)] = [
        ("Now we will look at bubble sort", "Bubble sort"),
        ("So, the sum gets closer", "Sum gets closer"),
        ("First, we can see that the tower grows", "Tower grows"),
        ("Here are six bars", "Six bars"),
        ("Remember: the largest value moves last", "Largest value moves last"),
        ("sin(x) is periodic", "sin(x) is periodic"),
        ("Start with sin(x), the first harmonic", "Start with sin(x), the first harmonic"),
        ("When a pass makes no swaps, the list is sorted", "List is sorted"),
        ("In terms of cost, bubble sort is slow", "Bubble sort is slow"),
        ("Here are six bars holding 5, 2, 8, 1, 9, 3", "Six bars holding 5, 2, 8, 1, 9, 3"),
        ("Joseph Fourier — a French mathematician — studied heat flow", "Joseph Fourier studied heat flow"),
        ("the of and", "…"),
        ("", "…"),
        ("Joseph Fourier studied heat flow in solid bodies and found sums", "Joseph Fourier studied heat flow"),
        ("Every list of one element is already sorted by definition", "Every list of one element is already sorted"),
        ("Counting every move of every single disk needs exactly 2^n - 1", "2^n - 1"),
    ]

    @Test(arguments: keyPhrases)
    func keyPhrase(line: String, phrase: String) {
        #expect(KeyPhrase.of(line) == phrase)
        #expect(KeyPhrase.units(KeyPhrase.of(line)).count <= KeyPhrase.maximumWords)
    }

    @Test func rulesReadAsOneTable() {
        #expect(VisualIdea.rules.count >= 10)
        for rule in VisualIdea.rules {
            #expect(!rule.when.isEmpty)
            // No entry is a fragment of a word: every one is whole words.
            for entry in rule.when + rule.context + rule.unless {
                #expect(entry.allSatisfy { $0.isLetter || $0 == " " }, "\(entry)")
            }
            // A rule never excludes what triggers it.
            #expect(Set(rule.when).isDisjoint(with: rule.unless), "\(rule.when)")
        }
    }

    @Test func wordsMatchWholeWordsAndTheirForms() {
        #expect(LineWords("Turning circles").contains("turn"))
        #expect(LineWords("spinning tops").contains("spin"))
        #expect(LineWords("three frequencies").contains("frequency"))
        #expect(LineWords("waves and sines").containsAny(["sine"]))
        #expect(!LineWords("since then").contains("sin"))
        #expect(!LineWords("the sign").contains("sine"))
        #expect(!LineWords("the cost").contains("cos"))
        #expect(!LineWords("frequently").contains("frequency"))
        #expect(LineWords("we circle back later").contains("circle back"))
        #expect(!LineWords("back to the circle").contains("circle back"))
    }

    @Test func cardRowsAreEvenAndDoNotEndOnSmallWords() {
        let long = CardLayout("Inscribed square touches the circle at four points")
        #expect(long.rows == ["Inscribed square touches", "the circle at four points"])
        #expect(long.fontSize == 48)
        #expect(long.offsets == [-32, 32])
        let short = CardLayout("Count the moves")
        #expect(short.rows == ["Count the moves"] && short.fontSize == 64 && short.offsets == [0])
        let word = CardLayout("Recursion")
        #expect(word.rows == ["Recursion"])
    }

    @Test(arguments: ["Count the moves", "Inscribed square touches the circle at four points", "Every list of one element is already sorted",
                      "Pneumonoultramicroscopicsilicovolcanoconiosis is a word", String(repeating: "x", count: 120)])
    func cardRowsFitTheCard(phrase: String) {
        let card = CardLayout(phrase)
        for row in card.rows {
            #expect(CardLayout.width(row, size: Double(card.fontSize)) <= CardLayout.textWidth, "\(row)")
            // The estimate is no narrower than the Critic's rough measure of bold text.
            let rough = ApproximateTextMeasurer().measure(row, fontSize: Double(card.fontSize), bold: true, wrapWidth: nil)
            #expect(rough.width <= CardLayout.width(row, size: Double(card.fontSize)))
        }
        #expect(Double(card.fontSize) >= LayoutCheck.minimumFontSize)
    }

    /// Findings of the Critic at 1280x720.
    static func findings(_ scene: Scene) -> [Finding] {
        LayoutCheck.run(scene, theme: .default, measurer: ApproximateTextMeasurer(), outputHeight: 720)
    }

    static let sampleLines = [
        "A sine wave has an amplitude and a frequency", "Plot a square wave from its first 12 odd harmonics",
        "Stack the first and third harmonics", "Draw a circle with a rotating radius arrow", "The coefficient is a_n = 1/n",
        "An inscribed square touches the circle at four points", "Let's count the moves", "Plot y = x^2 - 1",
        "Draw a hexagon", "Turn a circle into a square", "List sines, cosines and phases", "Highlight \"compare, then swap\"",
        "Every list of one element is already sorted by definition",
    ]

    @Test(arguments: sampleLines)
    func everyIdeaParsesAndPassesTheCritic(line: String) async throws {
        let board = Storyboard(lectureLines: ["Before", line, "After"], animations: ["Draw a triangle", line, "Draw a star"])
        let scene = try await OfflineCoder().code(CodeRequest(sectionTitle: "Samples", storyboard: board, durationHint: nil))
        #expect(scene.objects.contains { $0.id.hasPrefix("l2_") })
        let errors = Self.findings(scene).filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.map(\.description))")
    }

    @Test(arguments: sampleLines.filter { if case .card = VisualIdea.choose(for: $0) { return true } else { return false } })
    func cardsDrawNoFindingAtAll(line: String) async throws {
        let board = Storyboard(lectureLines: [line], animations: [])
        let scene = try await OfflineCoder().code(CodeRequest(sectionTitle: "Cards", storyboard: board, durationHint: nil))
        #expect(scene.objects.first?.kind == .rectangle)
        #expect(scene.objects.dropFirst().allSatisfy { $0.kind == .text && $0.bold == true })
        // No warning either: each row fits its area and lies inside the card.
        #expect(Self.findings(scene).isEmpty, "\(Self.findings(scene).map(\.description))")
    }

    @Test func textsAreShownAsWritten() async throws {
        let board = Storyboard(lectureLines: ["Key idea: {braces} and <angles> & ampersands stay text"], animations: [])
        let scene = try await OfflineCoder().code(CodeRequest(sectionTitle: "S", storyboard: board, durationHint: nil))
        let texts = scene.objects.filter { $0.kind == .text }.compactMap(\.text)
        #expect(!texts.isEmpty && texts.allSatisfy { $0.hasPrefix("<span weight=\"bold\">") && $0.hasSuffix("</span>") })
        let shown = texts.joined(separator: " ")
        #expect(shown.contains("{braces}") && shown.contains("&lt;angles&gt;") && shown.contains("&amp;"), "\(shown)")
        let errors = Self.findings(scene).filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.map(\.description))")
    }

    @Test("A formula that is no TeX becomes a card instead of failing the section")
    func unparsableFormulaFallsBackToACard() async throws {
        let board = Storyboard(lectureLines: ["The total is f_{ = 1"], animations: [])
        let scene = try await OfflineCoder().code(CodeRequest(sectionTitle: "S", storyboard: board, durationHint: nil))
        #expect(scene.objects.map(\.id).first == "l1_card")
    }

    @Test("The Planner's card descriptions read back as the same card, not as their own words")
    func plannedCardIsTheLinesKeyPhrase() async throws {
        let board = try await OfflinePlanner().plan(request("Notice that the list is now sorted."))
        #expect(board.animations == ["Show the key phrase \"List is now sorted\" on a card"])
        let scene = try await OfflineCoder().code(CodeRequest(sectionTitle: "S", storyboard: board, durationHint: nil))
        #expect(scene.objects.filter { $0.kind == .text }.map(\.text) == ["List is now sorted"])
    }
}
