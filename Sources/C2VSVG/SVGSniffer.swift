/// Tells an SVG document from other bytes by its start, without parsing it.
public enum SVGSniffer {
    /// True when `data` starts (after a byte-order mark, white space, an XML declaration,
    /// processing instructions, comments and a DOCTYPE) with an `<svg` element.
    public static func isSVG(_ data: [UInt8]) -> Bool {
        var i = data.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        func at(_ text: String) -> Bool {
            let bytes = Array(text.utf8)
            return data.count - i >= bytes.count && data[i..<(i + bytes.count)].elementsEqual(bytes)
        }
        /// Moves past the next `text`; false when there is none.
        func skip(past text: String) -> Bool {
            let bytes = Array(text.utf8)
            while data.count - i >= bytes.count {
                if data[i..<(i + bytes.count)].elementsEqual(bytes) { i += bytes.count; return true }
                i += 1
            }
            return false
        }
        /// Moves past a DOCTYPE's closing `>`, over an internal subset in brackets.
        func skipDoctype() -> Bool {
            var depth = 0
            while i < data.count {
                switch data[i] {
                case UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "]"): depth -= 1
                case UInt8(ascii: ">") where depth <= 0: i += 1; return true
                default: break
                }
                i += 1
            }
            return false
        }
        let space: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
        while true {
            while i < data.count, space.contains(data[i]) { i += 1 }
            if at("<?") { guard skip(past: "?>") else { return false } }
            else if at("<!--") { guard skip(past: "-->") else { return false } }
            else if at("<!DOCTYPE") { guard skipDoctype() else { return false } }
            else { break }
        }
        guard at("<svg"), data.count > i + 4 else { return false }
        return space.contains(data[i + 4]) || data[i + 4] == UInt8(ascii: ">") || data[i + 4] == UInt8(ascii: "/")
    }
}
