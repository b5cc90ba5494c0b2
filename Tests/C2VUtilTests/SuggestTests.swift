import Testing
@testable import C2VUtil

@Test func suggestsNearestKey() {
    #expect(nearestMatch(to: "lecture_line", in: ["title", "lecture_lines", "animations"]) == "lecture_lines")
    #expect(nearestMatch(to: "zzzzzz", in: ["title", "brief"]) == nil)
    #expect(editDistance("kitten", "sitting") == 3)
}

@Test func suggestionTiesAreDeterministic() {
    // "sin" and "sign" are both one edit from "sinn"; the longer shared prefix wins, in any order.
    #expect(nearestMatch(to: "sinn", in: ["sign", "sin"]) == "sin")
    #expect(nearestMatch(to: "sinn", in: ["sin", "sign"]) == "sin")
}
