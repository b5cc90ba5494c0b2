import C2VUtil
import Foundation

/// SVG documents (and a PNG for them to point at) shared by the SVG, scene and render tests.
public enum SVGFixtures {
    /// A 100x50 document whose viewBox is filled with one red rectangle.
    public static let redRectangle = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- a red box -->
        <svg xmlns="http://www.w3.org/2000/svg" width="100" height="50" viewBox="0 0 100 50">
          <rect x="0" y="0" width="100" height="50" fill="#ff0000"/>
        </svg>
        """

    /// A solid red PNG, `side` pixels square.
    public static func redPNG(side: Int = 4) throws -> [UInt8] {
        let pixels = [UInt8]((0..<(side * side)).flatMap { _ in [0, 0, 255, 255] })
        let path = try TestFiles.temporaryDirectory("c2v-svg-fixture") + "/red.png"
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        try PixelImage(width: side, height: side, pixels: pixels).writePNG(path)
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// A 100x100 document that, were references resolved, would paint all of itself red: red
    /// images from `name` (beside it) and from `absolutePath`, a style sheet `css` beside it that
    /// turns its blue square red, and `/etc/passwd` included as red text. Drawn safely it shows
    /// only the blue square in its top-left quarter.
    public static func externalReferences(name: String, absolutePath: String, css: String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
             xmlns:xi="http://www.w3.org/2001/XInclude" width="100" height="100">
          <style>@import url(\(css));</style>
          <rect x="0" y="0" width="50" height="50" fill="#0000ff"/>
          <image x="50" y="0" width="50" height="50" xlink:href="\(name)"/>
          <image x="0" y="50" width="50" height="50" href="file://\(absolutePath)"/>
          <text x="50" y="80" font-size="40" fill="#ff0000"><xi:include href="/etc/passwd" parse="text"/></text>
        </svg>
        """
    }

    /// The style sheet `externalReferences` points at.
    public static let redStyleSheet = "rect { fill: #ff0000 !important; }"
}
