import Foundation
import Testing
@testable import C2VBuild

@Suite struct KeyTests {
    @Test func separatorsKeepFieldsApart() {
        let a = StepKey(kind: "k", version: 1, components: [KeyComponent("x", "ab"), KeyComponent("y", "c")])
        let b = StepKey(kind: "k", version: 1, components: [KeyComponent("x", "a"), KeyComponent("y", "bc")])
        let c = StepKey(kind: "k", version: 1, components: [KeyComponent("xa", "b"), KeyComponent("y", "c")])
        #expect(a.digest != b.digest)
        #expect(a.digest != c.digest)
        // Name/value boundaries too: ("ab","") vs ("a","b").
        let d = StepKey(kind: "k", version: 1, components: [KeyComponent("ab", "")])
        let e = StepKey(kind: "k", version: 1, components: [KeyComponent("a", "b")])
        #expect(d.digest != e.digest)
    }

    @Test func keyDependsOnKindVersionOrderAndValues() {
        let base = StepKey(kind: "render", version: 1, components: [KeyComponent("a", "1"), KeyComponent("b", "2")])
        #expect(base.digest == StepKey(kind: "render", version: 1, components: [KeyComponent("a", "1"), KeyComponent("b", "2")]).digest)
        #expect(base.digest != StepKey(kind: "render", version: 2, components: base.components).digest)
        #expect(base.digest != StepKey(kind: "plan", version: 1, components: base.components).digest)
        #expect(base.digest != StepKey(kind: "render", version: 1, components: base.components.reversed()).digest)
        #expect(base.digest != StepKey(kind: "render", version: 1, components: [KeyComponent("a", "1")]).digest)
    }

    @Test func knownDigestIsStable() {
        // Pinned so an accidental change to the key encoding shows up as a test failure:
        // every cache entry anyone has would silently become unreachable.
        let key = StepKey(kind: "plan", version: 1, components: [KeyComponent("brief", "Sines build waves.")])
        #expect(key.digest.hex.count == 64)
        var encoder = CanonicalEncoder()
        encoder.append("c2v-step-key/1")
        encoder.append("plan")
        encoder.append(UInt64(1))
        encoder.append(UInt64(1))
        encoder.append("brief")
        encoder.append("Sines build waves.")
        #expect(key.digest == Digest.of(Data(encoder.bytes)))
    }

    @Test func explainNamesTheFirstDifference() {
        let old = StepKey(kind: "code", version: 1, components: [KeyComponent("lecture_lines[0]", "A"), KeyComponent("lecture_lines[1]", "B")])
        let record = StepRecord(key: old.digest, version: 1, components: old.componentDigests, succeeded: true)
        let changed = StepKey(kind: "code", version: 1, components: [KeyComponent("lecture_lines[0]", "A"), KeyComponent("lecture_lines[1]", "C")])
        #expect(explain(changed, against: record) == "input 'lecture_lines[1]' changed")
        #expect(explain(changed, against: nil) == "new target")
        let bumped = StepKey(kind: "code", version: 2, components: old.components)
        #expect(explain(bumped, against: record) == "step version 1 -> 2")
        let added = StepKey(kind: "code", version: 1, components: old.components + [KeyComponent("lecture_lines[2]", "D")])
        #expect(explain(added, against: record) == "input 'lecture_lines[2]' added")
        let removed = StepKey(kind: "code", version: 1, components: [old.components[0]])
        #expect(explain(removed, against: record) == "input 'lecture_lines[1]' removed")
        #expect(explain(old, against: record) == "not in cache")
    }

    @Test func digestParsing() {
        #expect(Digest(hex: String(repeating: "a", count: 64)) != nil)
        #expect(Digest(hex: String(repeating: "A", count: 64)) == nil)
        #expect(Digest(hex: "abc") == nil)
        #expect(Digest.of("abc").hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
