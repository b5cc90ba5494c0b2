import Testing
@testable import C2VUtil

@Test func suggestsNearestKey() {
    #expect(nearestMatch(to: "lecture_line", in: ["title", "lecture_lines", "animations"]) == "lecture_lines")
    #expect(nearestMatch(to: "zzzzzz", in: ["title", "brief"]) == nil)
    #expect(editDistance("kitten", "sitting") == 3)
}
