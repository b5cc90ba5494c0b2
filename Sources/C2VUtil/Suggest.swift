/// Edit distance between two strings (Levenshtein), used for "did you mean" hints.
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

/// The candidate closest to `word`, if it is close enough to be a plausible typo.
public func nearestMatch(to word: String, in candidates: some Sequence<String>) -> String? {
    let lowered = word.lowercased()
    var best: (String, Int)?
    for candidate in candidates {
        let distance = editDistance(lowered, candidate.lowercased())
        if best == nil || distance < best!.1 { best = (candidate, distance) }
    }
    guard let (match, distance) = best else { return nil }
    let limit = Swift.max(2, match.count / 3)
    return distance <= limit ? match : nil
}

/// "; did you mean `x`?" or "" — appended to messages about unknown names.
public func didYouMean(_ word: String, _ candidates: some Sequence<String>) -> String {
    guard let match = nearestMatch(to: word, in: candidates) else { return "" }
    return "; did you mean `\(match)`?"
}
