/// A `network` object's graph: its nodes, its edges and how they are laid out. Edges refer to
/// nodes by index, checked when the scene is read.
public struct NetworkSpec: Codable, Sendable, Equatable {
    public var nodes: [NetworkNode]
    public var edges: [NetworkEdge]
    public var layout: NetworkLayoutKind
    /// `layered`: which way the layers run.
    public var direction: NetworkDirection
    /// Edges carry an arrow head at their `to` end.
    public var directed: Bool
    /// Node names (or their `label`s) are written in the nodes.
    public var labels: Bool
    /// In scene units.
    public var nodeRadius: Double

    /// Bounds a network's layout cost (the force layout compares every pair of nodes).
    public static let maximumNodes = 200
    public static let maximumEdges = 1000
    public static let defaultRadius = 36.0

    public init(nodes: [NetworkNode], edges: [NetworkEdge], layout: NetworkLayoutKind = .circular,
                direction: NetworkDirection = .right, directed: Bool = false, labels: Bool = true,
                nodeRadius: Double = NetworkSpec.defaultRadius) {
        self.nodes = nodes
        self.edges = edges
        self.layout = layout
        self.direction = direction
        self.directed = directed
        self.labels = labels
        self.nodeRadius = nodeRadius
    }

    /// The name a step gives an edge as its `part`: `from-to`.
    public func edgeName(_ e: NetworkEdge) -> String { "\(nodes[e.from].id)-\(nodes[e.to].id)" }

    /// The part `name` names: a node, or an edge by `from-to` (either way round when undirected).
    public func part(_ name: String) -> NetworkPart? {
        if let i = nodes.firstIndex(where: { $0.id == name }) { return .node(i) }
        if let i = edges.firstIndex(where: { edgeName($0) == name }) { return .edge(i) }
        if !directed, let i = edges.firstIndex(where: { "\(nodes[$0.to].id)-\(nodes[$0.from].id)" == name }) { return .edge(i) }
        return nil
    }

    /// Every name `part` accepts, in the order written.
    public var partNames: [String] {
        nodes.map(\.id) + edges.flatMap { e -> [String] in
            let name = edgeName(e)
            let reverse = "\(nodes[e.to].id)-\(nodes[e.from].id)"
            return directed || reverse == name ? [name] : [name, reverse]
        }
    }
}

/// One node: its name (what edges and steps call it), what it shows, and its own colour.
public struct NetworkNode: Codable, Sendable, Equatable {
    public var id: String
    /// Shown instead of `id`.
    public var label: String?
    /// Its outline and a tint of its inside; nil: the network's colour.
    public var color: ColorRef?

    public init(id: String, label: String? = nil, color: ColorRef? = nil) {
        self.id = id
        self.label = label
        self.color = color
    }
}

/// An edge between two nodes (indices into `NetworkSpec.nodes`), with an optional weight label.
public struct NetworkEdge: Codable, Sendable, Equatable {
    public var from: Int
    public var to: Int
    public var weight: String?

    public init(from: Int, to: Int, weight: String? = nil) {
        self.from = from
        self.to = to
        self.weight = weight
    }
}

public enum NetworkLayoutKind: String, Codable, Sendable, CaseIterable { case circular, layered, force, grid }

public enum NetworkDirection: String, Codable, Sendable, CaseIterable { case right, down }

/// A named part of a network.
public enum NetworkPart: Equatable, Sendable {
    case node(Int)
    case edge(Int)
}
