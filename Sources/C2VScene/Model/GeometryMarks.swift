/// Points of a `polyline` computed from a whole-number variable:
/// `{var: k, from: 0, to: 63, point: [x(k), y(k)]}`.
public struct PointSweep: Codable, Sendable, Equatable {
    /// The variable's name, a local of the polyline's expressions.
    public var variable: String
    public var from: Int
    public var to: Int
    /// The point for one value of the variable: scene units, or the host's when drawn `on` one.
    public var x: Expr
    public var y: Expr

    public init(variable: String, from: Int, to: Int, x: Expr, y: Expr) {
        self.variable = variable
        self.from = from
        self.to = to
        self.x = x
        self.y = y
    }

    /// The most points one polyline may compute.
    public static let maximumPoints = 4096
}

/// Where each rectangle of a Riemann sum takes its height: at its left edge, its right edge or its middle.
public enum RiemannRule: String, Codable, Sendable, CaseIterable { case left, right, mid }

extension SceneObject {
    /// The expressions of the angle, tangent, polyline and area keys, for the evaluator to compile.
    var markExpressions: [Expr] {
        (xs ?? []) + [length, riemann].compactMap { $0 } + (sweep.map { [$0.x, $0.y] } ?? [])
    }

    /// The places of those keys besides `at`, `from`, `to` and `points`.
    var markPlaces: [Place] { vertex.map { [$0] } ?? [] }
}
