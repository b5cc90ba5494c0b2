import Testing
@testable import C2VScene

@Suite struct GridAreaTests {
    @Test func singleCell() throws {
        let area = try #require(GridArea("B2"))
        #expect(area == GridArea(column0: 1, row0: 1, column1: 1, row1: 1))
        #expect(area.description == "B2")
    }

    @Test func range() throws {
        let area = try #require(GridArea("A1:C3"))
        #expect(area == GridArea(column0: 0, row0: 0, column1: 2, row1: 2))
        #expect(area.description == "A1:C3")
    }

    @Test func reversedRangeIsNormalised() throws {
        let area = try #require(GridArea("F6:A1"))
        #expect(area == GridArea(column0: 0, row0: 0, column1: 5, row1: 5))
        #expect(area.description == "A1:F6")
    }

    @Test func lowercaseIsAccepted() {
        #expect(GridArea("d5") == GridArea(column0: 3, row0: 4, column1: 3, row1: 4))
    }

    @Test(arguments: ["G1", "A7", "A0", "A1:", ":A1", "A1:B2:C3", "", "B", "B22", "A1:G1", "11", "AA"])
    func invalid(text: String) {
        #expect(GridArea(text) == nil)
    }
}

@Suite struct SceneLayoutTests {
    @Test func cornerCellsTileTheVisualArea() throws {
        let visual = SceneLayout.visualArea
        let a1 = SceneLayout.rect(try #require(GridArea("A1")))
        let f6 = SceneLayout.rect(try #require(GridArea("F6")))
        #expect(a1.x == visual.x)
        #expect(a1.y == visual.y)
        #expect(abs(a1.width - visual.width / 6) < 1e-9)
        #expect(abs(a1.height - visual.height / 6) < 1e-9)
        #expect(abs(f6.maxX - visual.maxX) < 1e-9)
        #expect(abs(f6.maxY - visual.maxY) < 1e-9)
        #expect(abs(f6.width - a1.width) < 1e-9)
    }

    @Test func wholeGridIsTheVisualArea() throws {
        let all = SceneLayout.rect(try #require(GridArea("A1:F6")))
        let visual = SceneLayout.visualArea
        #expect(abs(all.x - visual.x) < 1e-9 && abs(all.y - visual.y) < 1e-9)
        #expect(abs(all.width - visual.width) < 1e-9 && abs(all.height - visual.height) < 1e-9)
    }

    @Test func neighbouringCellsShareEdges() throws {
        let b2 = SceneLayout.rect(try #require(GridArea("B2")))
        let c2 = SceneLayout.rect(try #require(GridArea("C2")))
        let b3 = SceneLayout.rect(try #require(GridArea("B3")))
        #expect(abs(b2.maxX - c2.x) < 1e-9)
        #expect(abs(b2.maxY - b3.y) < 1e-9)
    }

    @Test func regionsStayOnTheCanvasAndDoNotOverlap() {
        let regions = [SceneLayout.titleBar, SceneLayout.lectureColumn, SceneLayout.visualArea]
        for r in regions {
            #expect(r.x >= 0 && r.y >= 0 && r.maxX <= SceneLayout.width && r.maxY <= SceneLayout.height)
        }
        #expect(SceneLayout.titleBar.maxY <= SceneLayout.lectureColumn.y)
        #expect(SceneLayout.lectureColumn.maxX <= SceneLayout.visualArea.x)
    }

    @Test func transformFullHD() {
        let t = SceneLayout.transform(width: 1920, height: 1080)
        #expect(t.scale == 1)
        #expect(t.dx == 0 && t.dy == 0)
    }

    @Test func transformTiny() {
        let t = SceneLayout.transform(width: 320, height: 180)
        #expect(abs(t.scale - 1.0 / 6) < 1e-12)
        #expect(abs(t.dx) < 1e-9 && abs(t.dy) < 1e-9)
    }

    @Test func transformSquareLetterboxesTopAndBottom() {
        let t = SceneLayout.transform(width: 1000, height: 1000)
        #expect(abs(t.scale - 1000.0 / 1920) < 1e-12)
        #expect(abs(t.dx) < 1e-9)
        #expect(abs(t.dy - 218.75) < 1e-9)
    }

    @Test func transformWideLetterboxesLeftAndRight() {
        let t = SceneLayout.transform(width: 2000, height: 1000)
        #expect(abs(t.scale - 1000.0 / 1080) < 1e-12)
        #expect(abs(t.dx - (2000 - 1920 * 1000.0 / 1080) / 2) < 1e-9)
        #expect(t.dx > 0)
        #expect(abs(t.dy) < 1e-9)
    }
}

@Suite struct SceneTimingTests {
    @Test func naturalLengths() {
        #expect(SceneTiming.seconds(for: "Hi") == 2.5)
        #expect(abs(SceneTiming.seconds(for: "one two three four five six") - 3.3) < 1e-12)
        #expect(abs(SceneTiming.seconds(for: "  spaced\tout   words  here  ") - 2.6) < 1e-12)
    }

    @Test func linesAreContiguousFromZero() {
        let texts = ["Waves repeat in time", "one two three four five six seven eight nine ten", "Short"]
        let lines = SceneTiming.lines(texts, durationHint: nil)
        #expect(lines.map(\.text) == texts)
        #expect(lines.first?.start == 0)
        for (a, b) in zip(lines, lines.dropFirst()) { #expect(a.end == b.start) }
        #expect(abs(lines[1].end - lines[1].start - 4.7) < 1e-9)
        #expect(abs((lines.last?.end ?? 0) - (2.6 + 4.7 + 2.5)) < 1e-9)
    }

    @Test func durationHintIsSharedInProportion() {
        let lines = SceneTiming.lines(["a b c d e f g h i j", "x", "y z"], durationHint: 2.0)
        #expect(lines.count == 3)
        #expect(lines.first?.start == 0)
        for (a, b) in zip(lines, lines.dropFirst()) { #expect(a.end == b.start) }
        #expect(abs((lines.last?.end ?? 0) - 2.0) < 1e-9)
        // 4.7 : 2.5 : 2.5
        #expect(abs((lines[0].end - lines[0].start) - 2.0 * 4.7 / 9.7) < 1e-9)
        #expect(abs((lines[1].end - lines[1].start) - (lines[2].end - lines[2].start)) < 1e-9)
    }

    @Test func noLines() {
        #expect(SceneTiming.lines([], durationHint: 3).isEmpty)
        #expect(SceneTiming.lines([], durationHint: nil).isEmpty)
    }

    @Test func currentLine() {
        let scene = Scene(title: "T", lines: SceneTiming.lines(["a", "b"], durationHint: 4), objects: [], duration: 4)
        #expect(scene.currentLine(at: 0) == 0)
        #expect(scene.currentLine(at: 1.99) == 0)
        #expect(scene.currentLine(at: 2) == 1)
        #expect(scene.currentLine(at: 10) == 1)
        #expect(scene.currentLine(at: -1) == nil)
    }
}

