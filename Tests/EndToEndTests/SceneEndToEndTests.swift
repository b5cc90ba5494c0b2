import Foundation
import Testing

/// Hand-written scenes through the built binary: edits to one object rerun only what reads it,
/// a scene file next to the lesson is part of the key, and a Critic error fails only its section.
@Suite("c2v scenes end to end", .serialized)
struct SceneEndToEndTests {
    func workspace() throws -> Workspace { try Workspace(fixture: "scenes.yaml", alongside: ["two.scene.yaml"]) }

    /// The colour at the middle of the block (C3:D4 centre: scene (1310, 600) -> pixel (218, 100) at 320x180).
    func blockColor(_ ws: Workspace) throws -> [Int] {
        let still = ws.root.appendingPathComponent("still.png")
        let result = try ws.c2v(["still", "scenes.yaml", "--section", "one", "--time", "1", "-o", still.path,
                                 "--cache-dir", "cache"])
        #expect(result.status == 0, "still failed: \(result.stderr)")
        return Media.pixel(try Media.rgb(still), x: 218, y: 100, width: 320)
    }

    @Test("changing one object's colour reruns only that section's critique and render, and assemble")
    func recolourOneObject() throws {
        let ws = try workspace()
        try ws.buildOK()
        #expect(Media.near(try blockColor(ws), [0x83, 0xC1, 0x67], within: 3))
        try ws.edit("fill: 2, color: 2", "fill: 1, color: 1")
        try ws.buildOK()
        let report = try ws.report()
        #expect(report.ids("ran") == ["critique(one)", "render(one)", "assemble"])
        #expect(report.ids("cached") == ["critique(two)", "render(two)"])
        #expect(report.step("critique(one)")?.reason == "input 'scene.objects[0]' changed")
        #expect(Media.near(try blockColor(ws), [0xFC, 0x62, 0x55], within: 3))
        #expect(try Media.probe(ws.video).frames == 40)
    }

    @Test("editing the scene file a section names reruns that section only")
    func editSceneFile() throws {
        let ws = try workspace()
        try ws.buildOK()
        try ws.edit("radius: 120", "radius: 100", in: "two.scene.yaml")
        try ws.buildOK()
        #expect(try ws.report().ids("ran") == ["critique(two)", "render(two)", "assemble"])
    }

    @Test("a scene error in the scene file is reported at its own file:line:column, exit 2")
    func sceneFileError() throws {
        let ws = try workspace()
        try ws.edit("do: create, target: ring", "do: create, target: rign", in: "two.scene.yaml")
        let result = try ws.build()
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("two.scene.yaml:"), "the path is as the user would write it: \(result.stderr)")
        #expect(result.stderr.contains("two.scene.yaml:5:37: error: `target` names `rign`, which is not an object, family or group; did you mean `ring`?"),
                "stderr: \(result.stderr)")
    }

    @Test("a Critic error fails only its section, with a concrete fix; the other section still renders")
    func criticErrorFailsOneSection() throws {
        let ws = try workspace()
        // Pushed right by 700 units, the block runs off the screen.
        try ws.edit("size: [300, 260],", "size: [300, 260], offset: [700, 0],")
        let result = try ws.build(["--keep-going"])
        #expect(result.status == 1)
        let output = result.stdout + result.stderr
        #expect(output.contains("layout check found 1 error in section `one`"), "output: \(output)")
        #expect(output.contains("block at 0.00 s: extends off-screen"), "output: \(output)")
        #expect(output.contains("fix: move `block` from C3:D4 to"), "output: \(output)")
        let report = try ws.report()
        #expect(report.ids("failed") == ["critique(one)"])
        #expect(report.step("render(two)")?.status == "ran")
    }
}
