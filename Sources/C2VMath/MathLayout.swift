import C2VUtil

/// TeX's four styles. Cramped (a flag beside the style) lowers superscripts under bars and radicals.
enum MathStyle: Int, Comparable {
    case display, text, script, scriptScript

    /// Font size relative to the formula's size (TeX's 10/7/5 pt).
    var sizeFactor: Double { [1, 1, 0.7, 0.5][rawValue] }
    var isScript: Bool { self >= .script }
    var superscript: MathStyle { self <= .text ? .script : .scriptScript }
    var subscriptStyle: MathStyle { superscript }
    var fractionPart: MathStyle { [.text, .script, .scriptScript, .scriptScript][rawValue] }

    static func < (a: MathStyle, b: MathStyle) -> Bool { a.rawValue < b.rawValue }
}

/// TeX's font parameters for scripts, fractions and limits, in em (from cmsy10/cmex10).
enum TeXParameters {
    static let sup1 = 0.413, sup2 = 0.363, sup3 = 0.289
    static let sub1 = 0.15, sub2 = 0.247, supDrop = 0.386, subDrop = 0.05
    static let num1 = 0.677, num2 = 0.394, num3 = 0.444, denom1 = 0.686, denom2 = 0.345
    static let bigOpSpacing1 = 0.111, bigOpSpacing2 = 0.167, bigOpSpacing3 = 0.2
    static let bigOpSpacing4 = 0.6, bigOpSpacing5 = 0.1
    static let scriptSpace = 0.05, nullDelimiterSpace = 0.12
    static let delimiterFactor = 0.901, delimiterShortfall = 0.5

    /// Inter-atom spacing in mu, rows = left class, columns = right class (TeXbook p. 170).
    /// Negative: only in display and text style.
    static let spacing: [[Double]] = [
        //  ord  op  bin  rel open close punct inner
        [0, 3, -4, -5, 0, 0, 0, -3],       // ord
        [3, 3, 0, -5, 0, 0, 0, -3],        // op
        [-4, -4, 0, 0, -4, 0, 0, -4],      // bin
        [-5, -5, 0, 0, -5, 0, 0, -5],      // rel
        [0, 0, 0, 0, 0, 0, 0, 0],          // open
        [0, 3, -4, -5, 0, 0, 0, -3],       // close
        [-3, -3, 0, -3, -3, -3, -3, -3],   // punct
        [-3, 3, -4, -5, -3, 0, -3, -3],    // inner
    ]
}

/// Lays out parsed nodes into boxes: TeX's math list to horizontal list conversion, in spirit.
struct MathLayoutEngine {
    struct Context {
        var style: MathStyle
        var cramped = false
        var variant = MathFontVariant.normal

        func with(style: MathStyle, cramped: Bool) -> Context {
            Context(style: style, cramped: cramped, variant: variant)
        }
    }

    let glyphs: MathGlyphCache
    /// The formula's font size in caller units.
    let fontSize: Double
    /// Device pixels per caller unit.
    let scale: Double

    var parameters: MathFontParameters { glyphs.parameters }

    func em(_ style: MathStyle) -> Double { fontSize * style.sizeFactor }
    func axis(_ style: MathStyle) -> Double { parameters.axisHeight * em(style) }
    func xHeight(_ style: MathStyle) -> Double { parameters.xHeight * em(style) }
    /// Rule thickness for a style, never thinner than half a device pixel so it stays visible.
    func rule(_ style: MathStyle) -> Double { max(parameters.ruleThickness * em(style), 0.5 / scale) }

    // MARK: - Lists

    private struct Atom {
        var atomClass: MathAtomClass?
        var box: LayoutBox
    }

    /// A named part waiting for its atoms' positions.
    private struct PendingPart {
        var name: String
        var atoms: Range<Int>
    }

    func layoutList(_ nodes: [MathNode], _ context: Context) -> LayoutBox {
        var atoms: [Atom] = [], pending: [PendingPart] = []
        collect(nodes, context, color: nil, parts: [], into: &atoms, pending: &pending)
        applyBinaryRules(&atoms)

        var box = LayoutBox()
        var x = 0.0, previous: MathAtomClass?
        var positions: [Double] = []
        positions.reserveCapacity(atoms.count)
        let mu = em(context.style) / 18
        for atom in atoms {
            if let atomClass = atom.atomClass {
                if let left = previous {
                    let space = TeXParameters.spacing[left.rawValue][atomClass.rawValue]
                    if space > 0 || (space < 0 && !context.style.isScript) { x += abs(space) * mu }
                }
                previous = atomClass
            }
            positions.append(x)
            box.place(atom.box, dx: x, dy: 0)
            box.height = max(box.height, atom.box.height)
            box.depth = max(box.depth, atom.box.depth)
            x += atom.box.width
        }
        box.width = x
        if let last = atoms.last, last.box.isCharacter {
            box.isCharacter = atoms.count == 1
            box.italicCorrection = last.box.italicCorrection
        }
        for part in pending {
            if part.atoms.isEmpty {
                let at = part.atoms.lowerBound < positions.count ? positions[part.atoms.lowerBound] : x
                box.parts[part.name] = MathRect(x: at, y: 0, width: 0, height: 0)
                continue
            }
            var rect = atoms[part.atoms.lowerBound].box.rect.offsetBy(positions[part.atoms.lowerBound], 0)
            for i in part.atoms { rect = rect.union(atoms[i].box.rect.offsetBy(positions[i], 0)) }
            box.parts[part.name] = rect
        }
        return box
    }

    /// Lays out each node as an atom; `\mathrm`, `\color` and `\mathid` pass their contents through
    /// to the enclosing list so that spacing around the contents stays TeX's.
    private func collect(_ nodes: [MathNode], _ context: Context, color: RGBColor?, parts: [String],
                         into atoms: inout [Atom], pending: inout [PendingPart]) {
        for node in nodes {
            switch node {
            case .font(let variant, let inner):
                var inside = context
                inside.variant = variant
                collect(inner, inside, color: color, parts: parts, into: &atoms, pending: &pending)
            case .color(let newColor, let inner):
                collect(inner, context, color: newColor, parts: parts, into: &atoms, pending: &pending)
            case .named(let name, let inner):
                let start = atoms.count
                collect(inner, context, color: color, parts: [name] + parts, into: &atoms, pending: &pending)
                pending.append(PendingPart(name: name, atoms: start..<atoms.count))
            default:
                var (atomClass, box) = layoutAtom(node, context)
                box.tag(color: color, parts: parts)
                atoms.append(Atom(atomClass: atomClass, box: box))
            }
        }
    }

    /// TeX's rules 5 and 6: a binary operator with nothing to combine becomes ordinary.
    private func applyBinaryRules(_ atoms: inout [Atom]) {
        var previousIndex: Int?
        for i in atoms.indices {
            guard var atomClass = atoms[i].atomClass else { continue }
            let previous = previousIndex.flatMap { atoms[$0].atomClass }
            if atomClass == .bin, previous == nil || [.bin, .op, .rel, .open, .punct].contains(previous) {
                atomClass = .ord
            }
            if [.rel, .close, .punct].contains(atomClass), previous == .bin, let p = previousIndex {
                atoms[p].atomClass = .ord
            }
            atoms[i].atomClass = atomClass
            previousIndex = i
        }
        if let p = previousIndex, atoms[p].atomClass == .bin { atoms[p].atomClass = .ord }
    }

    // MARK: - Atoms

    /// One node as (class, box); a nil class is explicit space, which takes no inter-atom spacing.
    func layoutAtom(_ node: MathNode, _ context: Context) -> (MathAtomClass?, LayoutBox) {
        let style = context.style
        switch node {
        case .char(let text, let atomClass, let kind):
            var box = characterBox(text, kind: kind, context)
            box.isCharacter = true
            return (atomClass, box)
        case .op(let text, let isSymbol, _):
            return (.op, operatorBox(text, isSymbol: isSymbol, context))
        case .group(let list):
            var box = layoutList(list, context)
            box.isCharacter = false
            return (.ord, box)
        case .scripts(let base, let sup, let sub):
            if case .op(_, _, let limits) = base,
               limits == .limits || (limits == .auto && style == .display) {
                return (.op, limitsBox(layoutAtom(base, context).1, sup: sup, sub: sub, context))
            }
            let (atomClass, baseBox) = layoutAtom(base, context)
            return (atomClass ?? .ord, scriptsBox(baseBox, sup: sup, sub: sub, context))
        case .fraction(let numerator, let denominator, let kind):
            return (.inner, fractionBox(numerator, denominator, kind, context))
        case .radical(let body, let index):
            return (.ord, radicalBox(body, index: index, context))
        case .delimited(let left, let body, let right):
            return (.inner, delimited(layoutList(body, context), left, right, context))
        case .bigDelimiter(let delimiter, let size, let atomClass):
            return (atomClass, delimiterBox(delimiter, size: size * em(style), context, forceShape: false))
        case .font, .color, .named:
            return (.ord, layoutList([node], context))
        case .text(let text):
            return (.ord, glyphBox(text, face: context.variant == .bold ? .bold : .upright, size: em(style)))
        case .accent(let accent, let wide, let body):
            return (.ord, accentBox(accent, wide: wide, body, context))
        case .overline(let body):
            return (.ord, overlineBox(body, context, under: false))
        case .underline(let body):
            return (.ord, overlineBox(body, context, under: true))
        case .space(let mu):
            var box = LayoutBox()
            box.width = mu * em(style) / 18
            return (nil, box)
        case .environment(let environment, let rows):
            return (.inner, environmentBox(environment, rows, context))
        }
    }

    /// A glyph run measured by Pango; its width includes the italic correction, as TeX does in maths.
    func glyphBox(_ text: String, face: MathGlyphFace, size: Double) -> LayoutBox {
        var box = LayoutBox()
        guard !text.isEmpty else { return box }
        let metrics = glyphs.metrics(text, face: face, size: size, scale: scale)
        box.width = metrics.advance + metrics.italicCorrection
        box.height = metrics.height
        box.depth = metrics.depth
        box.italicCorrection = metrics.italicCorrection
        let run = MathGlyphRun(text: text, face: face, size: size, glyphCount: text.count, prefixEnds: metrics.prefixEnds)
        box.items = [MathItem(shape: .run(run, x: 0, y: 0))]
        return box
    }

    private func characterBox(_ text: String, kind: MathCharKind, _ context: Context) -> LayoutBox {
        let size = em(context.style)
        switch context.variant {
        case _ where kind == .prime:
            var box = glyphBox(text, face: .upright, size: size)
            box.italicCorrection = box.width
            return box
        case .normal: return glyphBox(text, face: kind == .variable ? .italic : .upright, size: size)
        case .roman: return glyphBox(text, face: .upright, size: size)
        case .italic: return glyphBox(text, face: .italic, size: size)
        case .bold: return glyphBox(text, face: .bold, size: size)
        case .blackboard: return glyphBox(MathSymbols.blackboard(text), face: .upright, size: size)
        }
    }

    /// `\sum` (enlarged in display style, centred on the axis) or an operator name such as `\sin`.
    private func operatorBox(_ text: String, isSymbol: Bool, _ context: Context) -> LayoutBox {
        let style = context.style
        guard isSymbol else { return glyphBox(text, face: context.variant == .bold ? .bold : .upright, size: em(style)) }
        let integral = "∫∬∭∮".contains(text)
        let factor = style == .display ? (integral ? 1.9 : 1.6) : (integral ? 1.3 : 1.05)
        var box = glyphBox(text, face: .upright, size: em(style) * factor)
        // Centre the ink on the axis: TeX's rule 13.
        let shift = (box.height - box.depth) / 2 - axis(style)
        let moved = box
        box.items = []
        box.place(moved, dx: 0, dy: shift)
        box.height -= shift
        box.depth += shift
        // The integral sign leans right: subscripts tuck in under its foot by this much.
        if integral { box.italicCorrection = 0.15 * em(style) * factor }
        return box
    }

    // MARK: - Scripts and limits

    /// TeX's rule 18: superscript and subscript beside a base.
    func scriptsBox(_ base: LayoutBox, sup: [MathNode]?, sub: [MathNode]?, _ context: Context) -> LayoutBox {
        let style = context.style, size = em(style)
        let supContext = context.with(style: style.superscript, cramped: context.cramped)
        let subContext = context.with(style: style.subscriptStyle, cramped: true)
        let supBox = sup.map { layoutList($0, supContext) }
        let subBox = sub.map { layoutList($0, subContext) }
        var u = 0.0, v = 0.0
        if !base.isCharacter {
            u = base.height - TeXParameters.supDrop * em(supContext.style)
            v = base.depth + TeXParameters.subDrop * em(subContext.style)
        }
        let xh = xHeight(style), theta = rule(style)
        if let supBox {
            let p = style == .display ? TeXParameters.sup1 : (context.cramped ? TeXParameters.sup3 : TeXParameters.sup2)
            u = max(u, p * size, supBox.depth + xh / 4)
            if let subBox {
                v = max(v, TeXParameters.sub2 * size)
                let gap = (u - supBox.depth) - (subBox.height - v)
                if gap < 4 * theta {
                    v += 4 * theta - gap
                    let psi = 0.8 * xh - (u - supBox.depth)
                    if psi > 0 { u += psi; v -= psi }
                }
            }
        } else if let subBox {
            v = max(v, TeXParameters.sub1 * size, subBox.height - 0.8 * xh)
        }
        var box = LayoutBox()
        box.place(base, dx: 0, dy: 0)
        box.height = base.height
        box.depth = base.depth
        var right = base.width
        if let supBox {
            box.place(supBox, dx: base.width, dy: -u)
            box.height = max(box.height, u + supBox.height)
            right = max(right, base.width + supBox.width)
        }
        if let subBox {
            // The subscript tucks under an italic letter's (or an integral's) overhang.
            let x = base.width - base.italicCorrection
            box.place(subBox, dx: x, dy: v)
            box.depth = max(box.depth, v + subBox.depth)
            right = max(right, x + subBox.width)
        }
        box.width = right + TeXParameters.scriptSpace * size
        return box
    }

    /// TeX's rule 13a: limits centred above and below a big operator.
    private func limitsBox(_ op: LayoutBox, sup: [MathNode]?, sub: [MathNode]?, _ context: Context) -> LayoutBox {
        let style = context.style, size = em(style)
        let supBox = sup.map { layoutList($0, context.with(style: style.superscript, cramped: context.cramped)) }
        let subBox = sub.map { layoutList($0, context.with(style: style.subscriptStyle, cramped: true)) }
        let width = max(op.width, supBox?.width ?? 0, subBox?.width ?? 0)
        var box = LayoutBox()
        box.width = width
        box.place(op, dx: (width - op.width) / 2, dy: 0)
        box.height = op.height
        box.depth = op.depth
        if let supBox {
            let shift = op.height + max(TeXParameters.bigOpSpacing1 * size,
                                        TeXParameters.bigOpSpacing3 * size - supBox.depth) + supBox.depth
            box.place(supBox, dx: (width - supBox.width) / 2, dy: -shift)
            box.height = shift + supBox.height + TeXParameters.bigOpSpacing5 * size
        }
        if let subBox {
            let shift = op.depth + max(TeXParameters.bigOpSpacing2 * size,
                                       TeXParameters.bigOpSpacing4 * size - subBox.height) + subBox.height
            box.place(subBox, dx: (width - subBox.width) / 2, dy: shift)
            box.depth = shift + subBox.depth + TeXParameters.bigOpSpacing5 * size
        }
        return box
    }

    // MARK: - Fractions and radicals

    /// TeX's rule 15: numerator over denominator, the rule on the axis.
    private func fractionBox(_ numerator: [MathNode], _ denominator: [MathNode], _ kind: MathFractionKind,
                             _ context: Context) -> LayoutBox {
        var style = context.style
        if let display = kind.forcedDisplay { style = display ? .display : max(style, .text) }
        let partStyle = style.fractionPart
        let num = layoutList(numerator, context.with(style: partStyle, cramped: context.cramped))
        let den = layoutList(denominator, context.with(style: partStyle, cramped: true))
        let size = em(style), theta = rule(style), a = axis(style)
        let display = style == .display
        var u = (display ? TeXParameters.num1 : (kind.hasRule ? TeXParameters.num2 : TeXParameters.num3)) * size
        var v = (display ? TeXParameters.denom1 : TeXParameters.denom2) * size
        if kind.hasRule {
            let clearance = display ? 3 * theta : theta
            let above = (u - num.depth) - (a + theta / 2)
            if above < clearance { u += clearance - above }
            let below = (a - theta / 2) - (den.height - v)
            if below < clearance { v += clearance - below }
        } else {
            let clearance = display ? 7 * theta : 3 * theta
            let gap = (u - num.depth) - (den.height - v)
            if gap < clearance { u += (clearance - gap) / 2; v += (clearance - gap) / 2 }
        }
        let inner = max(num.width, den.width)
        let pad = TeXParameters.nullDelimiterSpace * size
        var box = LayoutBox()
        box.width = inner + 2 * pad
        box.place(num, dx: pad + (inner - num.width) / 2, dy: -u)
        if kind.hasRule {
            box.items.append(MathItem(shape: .rule(MathRect(x: pad, y: -a - theta / 2, width: inner, height: theta))))
        }
        box.place(den, dx: pad + (inner - den.width) / 2, dy: v)
        box.height = u + num.height
        box.depth = v + den.depth
        if kind.delimiters.0 != .none || kind.delimiters.1 != .none {
            return delimited(box, kind.delimiters.0, kind.delimiters.1, context.with(style: style, cramped: context.cramped))
        }
        return box
    }

    /// TeX's rule 11: a radical sign drawn as a path, its overbar a rule, optional index on the left.
    private func radicalBox(_ bodyNodes: [MathNode], index: [MathNode]?, _ context: Context) -> LayoutBox {
        let style = context.style, size = em(style), theta = rule(style)
        let body = layoutList(bodyNodes, context.with(style: style, cramped: true))
        let phi = style == .display ? xHeight(style) : theta
        let psi = theta + phi / 4
        let top = -(max(body.height, xHeight(style)) + psi + theta)
        let bottom = max(body.depth, 0.08 * size) + 0.04 * size
        let sign = MathShapes.radicalSign(top: top, bottom: bottom, thickness: theta, em: size)

        var box = LayoutBox()
        var signX = 0.0
        if let index {
            let indexBox = layoutList(index, Context(style: .scriptScript, cramped: false, variant: context.variant))
            // TeX raises the index to 60% of the sign; keep it clear of the sign's hook as well.
            let hookTop = MathShapes.radicalHookHeight(top: top, bottom: bottom, em: size) - bottom
            let raise = max(0.6 * (bottom - top) - bottom, hookTop + indexBox.depth + 0.1 * size)
            // TeX kerns 5mu before the index and -10mu after it; our sign is narrower than
            // Computer Modern's, so end the index over the sign's vertex instead.
            let kernBefore = 5.0 / 18 * size
            box.place(indexBox, dx: kernBefore, dy: -raise)
            box.height = max(box.height, raise + indexBox.height)
            signX = max(0, kernBefore + indexBox.width - MathShapes.radicalVertexX(em: size))
        }
        box.items.append(MathItem(shape: .paths(sign.paths.map { $0.offsetBy(signX, 0) })))
        let bodyX = signX + sign.width
        box.items.append(MathItem(shape: .rule(MathRect(x: bodyX - theta / 2, y: top, width: body.width + theta / 2 + 0.06 * size,
                                                        height: theta))))
        box.place(body, dx: bodyX + 0.03 * size, dy: 0)
        box.width = bodyX + body.width + 0.06 * size
        box.height = max(box.height, -top + theta)
        box.depth = max(body.depth, bottom)
        return box
    }
}
