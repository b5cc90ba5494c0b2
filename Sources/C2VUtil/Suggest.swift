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
    func commonPrefix(_ candidate: String) -> Int {
        zip(lowered, candidate.lowercased()).prefix { $0 == $1 }.count
    }
    // Ties go to the longer shared prefix, then alphabetical order: the same answer every run,
    // whatever order the candidates come in.
    // Of two equally close, the one whose letters match in case wins (`\thet` -> `\theta`, not `\Theta`).
    var best: (candidate: String, distance: Int, cased: Int, prefix: Int)?
    for candidate in candidates {
        let distance = editDistance(lowered, candidate.lowercased()), prefix = commonPrefix(candidate)
        let cased = editDistance(word, candidate)
        if let b = best, (distance, cased, -prefix, candidate) >= (b.distance, b.cased, -b.prefix, b.candidate) { continue }
        best = (candidate, distance, cased, prefix)
    }
    guard let (match, distance, _, _) = best else { return nil }
    let limit = Swift.max(2, match.count / 3)
    return distance <= limit ? match : nil
}

/// "; did you mean `x`?" or "" — appended to messages about unknown names.
public func didYouMean(_ word: String, _ candidates: some Sequence<String>) -> String {
    guard let match = nearestMatch(to: word, in: candidates) else { return "" }
    return "; did you mean `\(match)`?"
}
