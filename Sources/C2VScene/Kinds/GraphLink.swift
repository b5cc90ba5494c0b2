import C2VUtil

/// What `tangent` and `area` share: they name a graph (`of: wave`) and are drawn on its host,
/// reading its y(x) in its own scope.
extension SceneReader {
    /// Whether `name`, given under `key`, is a graph drawn `on` a host; if so, `draft` is drawn on
    /// that host too (it may say so itself, but only the same one).
    mutating func linkGraph(_ name: String, key: String, of draft: inout ObjectDraft, kinds: [String: ObjectKind]) -> String? {
        guard reference(name, key: key, of: draft, kinds: kinds, allowed: [.graph]) else { return nil }
        let at = draft.fields[key]?.location ?? draft.location
        let kind = draft.object.kind.rawValue, article = kind.first.map { "aeiou".contains($0) } == true ? "an" : "a"
        guard let host = drafts.first(where: { $0.object.id == name })?.object.on, let hostKind = kinds[host],
              SceneKinds.hosts.contains(hostKind) else {
            fail("`\(key)` names graph `\(name)`, which is not drawn on axes; \(article) \(kind) is drawn on its graph's axes: "
                 + "give `\(name)` `on`, the axes or plane it is drawn on", at)
            return nil
        }
        if let on = draft.object.on, on != host {
            fail("\(kind) `\(draft.object.id)` is drawn on `\(host)`, the axes of its graph `\(name)`, not on `\(on)`: remove its `on`",
                 draft.fields["on"]?.location ?? draft.location)
            return nil
        }
        draft.object.on = host
        return host
    }
}

/// A graph's y(x) at one moment, read in the graph's own scope (its params, `repeat` variables and `x`).
struct GraphSampler {
    let graph: CompiledObject
    /// The text of its `y`, for the Critic's note when a value is undefined.
    let source: String
    private let y: CompiledObject.Node
    private var slots: [Double]
    private let slot: Int

    init?(_ evaluator: SceneEvaluator, id: String?, time: Double, params: [Double]) {
        guard let id, let index = evaluator.byID[id] else { return nil }
        let g = evaluator.objects[index]
        guard g.object.kind == .graph, let e = g.object.expressions?.first else { return nil }
        graph = g
        source = e.source
        y = g.compiled(e)
        slots = evaluator.slots(g, time: time, params: params)
        slot = g.scope.slot(ofLocal: "x")
    }

    mutating func callAsFunction(_ x: Double) -> Double {
        slots[slot] = x
        return y(&slots)
    }

    /// The x range the graph is drawn over on `host`.
    func domain(on host: HostFrame) -> (Double, Double) {
        (graph.number(graph.object.domain?[0], host.x0), graph.number(graph.object.domain?[1], host.x1))
    }
}
