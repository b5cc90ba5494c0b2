import CC2VCairo
import C2VTestSupport
import C2VUtil
import Foundation
import Testing
@testable import C2VSVG

/// Draws `svg` into a `width`x`height` box filling a transparent canvas of that size.
func pixels(_ svg: SVGImage, width: Int, height: Int) throws -> PixelImage {
    let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))!
    defer { cairo_surface_destroy(surface) }
    let cr = cairo_create(surface)!
    defer { cairo_destroy(cr) }
    try svg.draw(on: cr, x: 0, y: 0, width: Double(width), height: Double(height))
    cairo_surface_flush(surface)
    let stride = Int(cairo_image_surface_get_stride(surface)), data = cairo_image_surface_get_data(surface)!
    var bytes = [UInt8](repeating: 0, count: width * height * 4)
    for y in 0..<height { for x in 0..<(width * 4) { bytes[y * width * 4 + x] = data[y * stride + x] } }
    return PixelImage(width: width, height: height, pixels: bytes)
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite struct SVGSnifferTests {
    @Test func findsTheSVGElementAfterAPrologue() {
        #expect(SVGSniffer.isSVG(bytes("<svg xmlns=\"http://www.w3.org/2000/svg\"/>")))
        #expect(SVGSniffer.isSVG(bytes(SVGFixtures.redRectangle)))
        #expect(SVGSniffer.isSVG([0xEF, 0xBB, 0xBF] + bytes("\n<svg>")))
        #expect(SVGSniffer.isSVG(bytes("""
            <?xml version="1.0"?>
            <!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd" [ <!ENTITY a "b"> ]>
            <!-- <html> --><svg\twidth="1"></svg>
            """)))
    }

    @Test func otherBytesAreNotSVG() throws {
        #expect(!SVGSniffer.isSVG([]))
        #expect(!SVGSniffer.isSVG(bytes("<html><svg></svg></html>")))
        #expect(!SVGSniffer.isSVG(bytes("<svgx>")))
        #expect(!SVGSniffer.isSVG(bytes("<!-- never closed <svg>")))
        #expect(!SVGSniffer.isSVG(bytes("not a picture")))
        #expect(!SVGSniffer.isSVG(try SVGFixtures.redPNG()))
    }
}

@Suite struct SVGImageTests {
    @Test func sizeComesFromWidthAndHeightElseTheViewBox() throws {
        #expect(try SVGImage.size(bytes(SVGFixtures.redRectangle)) == (100, 50))
        // Absolute units at 96 per inch.
        let inches = try SVGImage.size(bytes("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2in\" height=\"1in\"/>"))
        #expect(inches == (192, 96))
        let viewBox = try SVGImage.size(bytes("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 30 40\"/>"))
        #expect(viewBox == (30, 40))
        let percent = try SVGImage.size(bytes("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" viewBox=\"0 0 8 2\"/>"))
        #expect(percent == (8, 2))
    }

    @Test func documentsLibrsvgCannotReadAreInvalidInput() {
        let cases: [([UInt8], String)] = [
            (bytes("<svg xmlns=\"http://www.w3.org/2000/svg\"><rect></svg>"), "xml parse error"),
            (bytes("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), "it has no size"),
            ([], "empty"),
            // svgz: refused before librsvg would inflate it.
            ([0x1F, 0x8B, 0x08, 0x00], "compressed (svgz)"),
        ]
        for (data, reason) in cases {
            do {
                _ = try SVGImage(data)
                Issue.record("\(data.prefix(16)) was accepted")
            } catch {
                #expect(error.code == .invalidInput)
                #expect(error.message.lowercased().contains(reason), "\(error.message)")
            }
        }
    }

    @Test func drawsAsVectorsFittedIntoTheBox() throws {
        let svg = try SVGImage(bytes(SVGFixtures.redRectangle))
        // 2:1 into a 64x64 box: a 64x32 band across the middle.
        let image = try pixels(svg, width: 64, height: 64)
        #expect(image.rgb(32, 32) == (255, 0, 0))
        #expect(image.rgb(1, 17) == (255, 0, 0) && image.rgb(62, 46) == (255, 0, 0))
        #expect(image.pixels[(8 * 64 + 32) * 4 + 3] == 0, "above the band stays transparent")
        #expect(image.pixels[(56 * 64 + 32) * 4 + 3] == 0, "below the band stays transparent")
    }

    @Test func referencesToOtherFilesAreNeverRead() throws {
        let folder = try TestFiles.temporaryDirectory("c2v-svg-refs")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let png = try SVGFixtures.redPNG()
        try Data(png).write(to: URL(fileURLWithPath: "\(folder)/red.png"))
        try Data(SVGFixtures.redStyleSheet.utf8).write(to: URL(fileURLWithPath: "\(folder)/red.css"))
        let text = SVGFixtures.externalReferences(name: "red.png", absolutePath: "\(folder)/red.png", css: "red.css")
        let image = try pixels(try SVGImage(bytes(text)), width: 100, height: 100)
        #expect(image.rgb(25, 25) == (0, 0, 255), "the style sheet beside it was not applied")
        var red = 0
        for y in 0..<100 { for x in 0..<100 where image.rgb(x, y).0 > 128 { red += 1 } }
        #expect(red == 0, "\(red) red pixels: a referenced file was read")

        // The same picture inline is drawn: the check above can see an image if one is drawn.
        let inline = text.replacingOccurrences(of: "xlink:href=\"red.png\"", with: "xlink:href=\"data:image/png;base64,\(Data(png).base64EncodedString())\"")
        let control = try pixels(try SVGImage(bytes(inline)), width: 100, height: 100)
        #expect(control.rgb(75, 25) == (255, 0, 0))
    }
}
