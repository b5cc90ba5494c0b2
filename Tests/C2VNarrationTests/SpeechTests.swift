import Foundation
import Testing
@testable import C2VNarration

@Suite struct SpeechTests {
    @Test func marksAreParsedOutOfSpokenText() {
        let text = SpokenText("Add the [[h3]] third harmonic & watch <it>")
        #expect(text.plain == "Add the third harmonic & watch <it>")
        #expect(text.marks == ["h3"])
        #expect(text.ssml == "<speak>Add the <mark name=\"h3\"/> third harmonic &amp; watch &lt;it&gt;</speak>")
    }

    @Test func espeakSpeaksWithMarksDeterministically() throws {
        let engine = ESpeakEngine(voice: "en-us", rate: 165)
        let a = try engine.speak(SpokenText("A square wave jumps [[jump]] between plus one and minus one."))
        let b = try engine.speak(SpokenText("A square wave jumps [[jump]] between plus one and minus one."))
        _ = try engine.speak(SpokenText("Something else entirely, said in between."))
        let c = try engine.speak(SpokenText("A square wave jumps [[jump]] between plus one and minus one."))
        // espeak-ng's first samples depend on what it said before (its filters carry over), so
        // repeats match in timing, not bit for bit; c2v speaks each line once and caches it.
        for other in [b, c] {
            #expect(abs(other.duration - a.duration) < 0.02)
            #expect(abs((other.marks["jump"] ?? 0) - (a.marks["jump"] ?? 0)) < 0.02)
        }
        #expect(a.sampleRate == 22050)
        #expect(a.duration > 1.5 && a.duration < 6, "duration \(a.duration)")
        let mark = try #require(a.marks["jump"])
        #expect(mark > 0.4 && mark < a.duration - 0.4, "mark at \(mark) of \(a.duration)")
        #expect(a.words.count >= 9)
        #expect(ESpeakEngine.installedVersion != nil)
    }

    @Test func otherLanguagesSpeak() throws {
        let german = try ESpeakEngine(voice: "de", rate: 160).speak(SpokenText("Eine Rechteckwelle springt."))
        #expect(german.duration > 0.5)
        #expect(throws: (any Error).self) { try ESpeakEngine(voice: "no-such-voice", rate: 160).speak(SpokenText("hi")) }
    }

    @Test func normalisationReachesTheTargetWithHeadroom() throws {
        let speech = try ESpeakEngine(voice: "en-us", rate: 165).speak(SpokenText("Sums of sines can build almost any periodic signal you like."))
        let normalized = Loudness.normalized(speech.samples, sampleRate: speech.sampleRate)
        let loudness = try #require(Loudness.integrated(normalized, sampleRate: speech.sampleRate))
        #expect(abs(loudness - Loudness.target) < 1.5, "\(loudness) LUFS")
        #expect(normalized.allSatisfy { abs($0) <= 0.8 })
        // A 1 kHz sine at full scale reads about -3 LUFS (BS.1770's reference).
        let sine = (0..<48000).map { Float(sin(2 * Double.pi * 1000 * Double($0) / 48000)) }
        #expect(abs(try #require(Loudness.integrated(sine, sampleRate: 48000)) - (-3.01)) < 0.1)
    }

    @Test func pcmRoundTrips() {
        let speech = Speech(sampleRate: 22050, samples: [0, 0.5, -0.25, 1])
        #expect(Speech.samples(fromPCM: speech.pcm) == speech.samples)
    }
}
