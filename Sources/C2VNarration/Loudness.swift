import Foundation

/// Integrated loudness after ITU-R BS.1770-4 (K-weighting, 400 ms blocks with 75% overlap,
/// absolute gate at -70 LUFS and relative gate at -10 LU), and normalisation to a target.
public enum Loudness {
    /// Spoken lines are normalised to this (streaming platforms' and podcasts' usual level).
    public static let target = -16.0
    /// Samples stay below this: AAC overshoots speech transients by up to ~2.5 dB, and the true
    /// peak of the encoded narration must stay under -1 dBTP.
    public static let sampleCeiling = -4.0

    public static func integrated(_ samples: [Float], sampleRate: Int) -> Double? {
        guard sampleRate > 0, !samples.isEmpty else { return nil }
        let weighted = kWeighted(samples, sampleRate: Double(sampleRate))
        let block = Int(0.4 * Double(sampleRate)), step = max(1, block / 4)
        var powers: [Double] = []
        if weighted.count <= block {
            powers = [weighted.reduce(0) { $0 + $1 * $1 } / Double(weighted.count)]
        } else {
            var start = 0
            while start + block <= weighted.count {
                var sum = 0.0
                for i in start..<(start + block) { sum += weighted[i] * weighted[i] }
                powers.append(sum / Double(block))
                start += step
            }
        }
        func lufs(_ power: Double) -> Double { -0.691 + 10 * log10(max(power, 1e-20)) }
        let absolute = powers.filter { lufs($0) > -70 }
        guard !absolute.isEmpty else { return nil }
        let relative = lufs(absolute.reduce(0, +) / Double(absolute.count)) - 10
        let gated = absolute.filter { lufs($0) > relative }
        guard !gated.isEmpty else { return nil }
        return lufs(gated.reduce(0, +) / Double(gated.count))
    }

    /// Gain to `target`, with a look-ahead limiter keeping every sample under the ceiling; a second
    /// pass makes up what the limiter took.
    public static func normalized(_ samples: [Float], sampleRate: Int, target: Double = target) -> [Float] {
        var out = samples
        for _ in 0..<2 {
            guard let loudness = integrated(out, sampleRate: sampleRate) else { return out }
            let gain = Float(pow(10, (target - loudness) / 20))
            out = limited(out.map { $0 * gain }, sampleRate: sampleRate)
        }
        return out
    }

    /// Peaks above the ceiling are turned down smoothly: the gain reaches its low point 2 ms
    /// ahead of the peak and recovers over about 60 ms, so no sample clips and nothing clicks.
    static func limited(_ samples: [Float], sampleRate: Int) -> [Float] {
        let ceiling = Float(pow(10, sampleCeiling / 20))
        let ahead = max(1, sampleRate / 500)
        let recovery = Float(1 - exp(-1 / (0.06 * Double(sampleRate))))
        let raw = samples.map { abs($0) > ceiling ? ceiling / abs($0) : 1 }
        // The lowest gain needed within the look-ahead window, at each sample (peaks are sparse).
        var need = raw
        for i in raw.indices where raw[i] < 1 {
            for j in max(0, i - ahead)...i where raw[i] < need[j] { need[j] = raw[i] }
        }
        var gain: Float = 1
        var out = samples
        for i in samples.indices {
            gain = need[i] < gain ? need[i] : gain + (1 - gain) * recovery
            gain = min(gain, need[i])
            out[i] = samples[i] * gain
        }
        return out
    }

    /// The two K-weighting stages (a high shelf for the head, a high pass), designed for the
    /// sample rate at hand from the constants behind BS.1770's 48 kHz coefficients (as libebur128 does).
    static func kWeighted(_ samples: [Float], sampleRate fs: Double) -> [Double] {
        var shelf: Biquad = {
            let f0 = 1681.974450955533, g = 3.999843853973347, q = 0.7071752369554196
            let k = tan(Double.pi * f0 / fs), vh = pow(10, g / 20), vb = pow(vh, 0.4996667741545416)
            let a0 = 1 + k / q + k * k
            return Biquad(b0: (vh + vb * k / q + k * k) / a0, b1: 2 * (k * k - vh) / a0, b2: (vh - vb * k / q + k * k) / a0,
                          a1: 2 * (k * k - 1) / a0, a2: (1 - k / q + k * k) / a0)
        }()
        var pass: Biquad = {
            let f0 = 38.13547087602444, q = 0.5003270373238773
            let k = tan(Double.pi * f0 / fs), a0 = 1 + k / q + k * k
            return Biquad(b0: 1, b1: -2, b2: 1, a1: 2 * (k * k - 1) / a0, a2: (1 - k / q + k * k) / a0)
        }()
        return samples.map { pass.process(shelf.process(Double($0))) }
    }
}

struct Biquad {
    var b0, b1, b2, a1, a2: Double
    var x1 = 0.0, x2 = 0.0, y1 = 0.0, y2 = 0.0

    init(b0: Double, b1: Double, b2: Double, a1: Double, a2: Double) {
        self.b0 = b0; self.b1 = b1; self.b2 = b2; self.a1 = a1; self.a2 = a2
    }

    mutating func process(_ x: Double) -> Double {
        let y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
        x2 = x1; x1 = x; y2 = y1; y1 = y
        return y
    }
}
