import Foundation
import Testing
import C2VUtil
@testable import C2VBuild

@Suite struct KeyTests {
    let v1 = [ComponentVersion("render.frames", 1)]

    @Test func separatorsKeepFieldsApart() {
        let a = StepKey(kind: "k", components: v1, inputs: [KeyComponent("x", "ab"), KeyComponent("y", "c")])
        let b = StepKey(kind: "k", components: v1, inputs: [KeyComponent("x", "a"), KeyComponent("y", "bc")])
        let c = StepKey(kind: "k", components: v1, inputs: [KeyComponent("xa", "b"), KeyComponent("y", "c")])
        #expect(a.digest != b.digest)
        #expect(a.digest != c.digest)
        // Name/value boundaries too: ("ab","") vs ("a","b").
        let d = StepKey(kind: "k", components: v1, inputs: [KeyComponent("ab", "")])
        let e = StepKey(kind: "k", components: v1, inputs: [KeyComponent("a", "b")])
        #expect(d.digest != e.digest)
    }

    @Test func keyDependsOnKindComponentsOrderAndValues() {
        let inputs = [KeyComponent("a", "1"), KeyComponent("b", "2")]
        let base = StepKey(kind: "render", components: v1, inputs: inputs)
        #expect(base.digest == StepKey(kind: "render", components: v1, inputs: inputs).digest)
        #expect(base.digest != StepKey(kind: "render", components: [ComponentVersion("render.frames", 2)], inputs: inputs).digest)
        #expect(base.digest != StepKey(kind: "render", components: v1 + [ComponentVersion("math.typesetter", 1)], inputs: inputs).digest)
        #expect(base.digest != StepKey(kind: "plan", components: v1, inputs: inputs).digest)
        #expect(base.digest != StepKey(kind: "render", components: v1, inputs: inputs.reversed()).digest)
        #expect(base.digest != StepKey(kind: "render", components: v1, inputs: [KeyComponent("a", "1")]).digest)
        // Components are a set: their declared order does not matter.
        let two = [ComponentVersion("a", 1), ComponentVersion("b", 1)]
        #expect(StepKey(kind: "k", components: two, inputs: []).digest == StepKey(kind: "k", components: two.reversed(), inputs: []).digest)
    }

    @Test func knownDigestIsStable() {
        // Pinned so an accidental change to the key encoding shows up as a test failure:
        // every cache entry anyone has would silently become unreachable.
        let key = StepKey(kind: "plan", components: [ComponentVersion("offline.planner", 1)],
                          inputs: [KeyComponent("brief", "\"Sines build waves.\"")])
        var encoder = CanonicalEncoder()
        encoder.append("c2v-step-key/2")
        encoder.append("plan")
        encoder.append(UInt64(1))
        encoder.append("offline.planner")
        encoder.append(UInt64(1))
        encoder.append(UInt64(1))
        encoder.append("brief")
        encoder.append("\"Sines build waves.\"")
        #expect(key.digest == Digest.of(Data(encoder.bytes)))
    }

    struct Sample: Codable { var title: String; var lines: [String]; var hint: Double?; var nested: [String: Int] }

    @Test func canonicalInputsAreFieldsInSortedOrderAndStable() throws {
        let a = try CanonicalInputs(Sample(title: "T/1", lines: ["x", "y"], hint: 2.5, nested: ["b": 2, "a": 1]))
        #expect(a.fields.map(\.name) == ["hint", "lines[0]", "lines[1]", "nested.a", "nested.b", "title"])
        #expect(a.fields.first { $0.name == "nested.b" }?.value == "2")
        #expect(a.fields.first { $0.name == "title" }?.value == #""T/1""#)
        let b = try CanonicalInputs(Sample(title: "T/1", lines: ["x", "y"], hint: 2.5, nested: ["a": 1, "b": 2]))
        #expect(a == b)
        // An absent optional is no field at all, so adding it later is named as added.
        let c = try CanonicalInputs(Sample(title: "T/1", lines: ["x", "y"], hint: nil, nested: [:]))
        #expect(!c.fields.map(\.name).contains("hint"))
        #expect(c.fields.first { $0.name == "nested" }?.value == "{}")
        #expect(throws: C2VError.self) { try CanonicalInputs([1, 2, 3]) }
    }

    @Test func explainNamesTheFirstDifference() {
        let old = StepKey(kind: "code", components: v1, inputs: [KeyComponent("lines", "A"), KeyComponent("title", "B")])
        let record = StepRecord(key: old.digest, components: old.components, inputs: old.inputDigests, succeeded: true)
        let changed = StepKey(kind: "code", components: v1, inputs: [KeyComponent("lines", "A"), KeyComponent("title", "C")])
        #expect(RerunReason.explain(changed, against: record) == .inputChanged("title"))
        #expect(RerunReason.explain(changed, against: nil) == .newTarget)
        let bumped = StepKey(kind: "code", components: [ComponentVersion("render.frames", 2)], inputs: old.inputs)
        #expect(RerunReason.explain(bumped, against: record) == .componentChanged(name: "render.frames", from: 1, to: 2))
        let more = StepKey(kind: "code", components: v1 + [ComponentVersion("math.typesetter", 1)], inputs: old.inputs)
        #expect(RerunReason.explain(more, against: record).description == "component math.typesetter added")
        let added = StepKey(kind: "code", components: v1, inputs: old.inputs + [KeyComponent("sample", "1")])
        #expect(RerunReason.explain(added, against: record) == .inputAdded("sample"))
        let removed = StepKey(kind: "code", components: v1, inputs: [old.inputs[0]])
        #expect(RerunReason.explain(removed, against: record) == .inputRemoved("title"))
        #expect(RerunReason.explain(old, against: record) == .notInCache)
    }

    @Test func digestParsing() {
        #expect(Digest(hex: String(repeating: "a", count: 64)) != nil)
        #expect(Digest(hex: String(repeating: "A", count: 64)) == nil)
        #expect(Digest(hex: "abc") == nil)
        #expect(Digest.of("abc").hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
