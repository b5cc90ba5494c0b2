internal import CC2VFFmpeg
import C2VUtil
import Foundation

/// One segment to join, with the chapter title it gets in the joined video.
public struct JoinInput: Sendable {
    public var path: String
    public var chapterTitle: String

    public init(path: String, chapterTitle: String) {
        self.path = path
        self.chapterTitle = chapterTitle
    }
}

/// What a join produced, for reports and for checking against what was rendered.
public struct JoinResult: Sendable {
    /// Video frames (packets) in the joined file.
    public var frameCount: Int
    /// Length of the joined video.
    public var durationSeconds: Double
    /// Where each input starts in the joined video, in input order.
    public var segmentStartSeconds: [Double]

    public init(frameCount: Int, durationSeconds: Double, segmentStartSeconds: [Double]) {
        self.frameCount = frameCount
        self.durationSeconds = durationSeconds
        self.segmentStartSeconds = segmentStartSeconds
    }
}

/// Joins MP4 segments by stream copy (no re-encode) into one MP4 with +faststart and one chapter per input.
///
/// Stream copy keeps joining fast and lossless; it is only valid because all segments come from
/// `SegmentEncoder` with equal settings, which the joiner checks through the codec extradata.
public enum SegmentJoiner {
    public static func join(_ inputs: [JoinInput], to path: String) throws -> JoinResult {
        try loadLibAV()
        guard !inputs.isEmpty else { throw C2VError(.invalidInput, "nothing to join: no segments given") }

        // Pre-pass: chapters must be in place before the header, so durations are needed first.
        let segments = try inputs.map { try SegmentSummary(path: $0.path) }
        let reference = segments[0]
        for segment in segments where (segment.audio != nil) != (reference.audio != nil) {
            throw C2VError(.buildFailed, "some segments have narration and some do not; cannot join them: \(segment.path)")
        }
        for segment in segments.dropFirst() where !segment.isStreamCompatible(with: reference) {
            throw C2VError(.buildFailed,
                           "segments were encoded with different settings; cannot join by stream copy: \(segment.path)")
        }

        // The timeline is kept in the first segment's time base, which is exact for frame durations.
        let timeBase = reference.timeBase
        var starts: [Int64] = []
        var total: Int64 = 0
        for segment in segments {
            starts.append(total)
            total += av_rescale_q(segment.duration, segment.timeBase, timeBase)
        }

        try createParentDirectory(of: path)
        let temporary = temporaryPath(for: path)
        let frameCount: Int
        do {
            frameCount = try write(inputs, segments: segments, starts: starts, total: total,
                                   timeBase: timeBase, to: temporary)
        } catch {
            removeTemporary(temporary)
            throw error
        }
        try FileIO.commitRename(from: temporary, to: path)

        let seconds = { (ticks: Int64) in Double(ticks) * Double(timeBase.num) / Double(timeBase.den) }
        return JoinResult(frameCount: frameCount, durationSeconds: seconds(total),
                          segmentStartSeconds: starts.map(seconds))
    }

    /// Copies every segment's video packets into a new mp4 at `path`, shifted onto one timeline.
    private static func write(_ inputs: [JoinInput], segments: [SegmentSummary], starts: [Int64], total: Int64,
                              timeBase: AVRational, to path: String) throws -> Int {
        let output = try OutputContainer(format: "mp4", path: path)
        let stream = try output.addStream()
        let reference = segments[0]
        try av(avcodec_parameters_copy(stream.pointee.codecpar, reference.parameters.raw),
               "copying codec parameters to the joined stream")
        stream.pointee.codecpar.pointee.codec_tag = 0  // let the mp4 muxer choose its own tag
        stream.pointee.time_base = timeBase
        stream.pointee.avg_frame_rate = reference.frameRate
        stream.pointee.sample_aspect_ratio = reference.parameters.raw.pointee.sample_aspect_ratio
        var audioStream: UnsafeMutablePointer<AVStream>?
        if let audio = reference.audio {
            let added = try output.addStream()
            try av(avcodec_parameters_copy(added.pointee.codecpar, audio.parameters.raw), "copying audio parameters to the joined stream")
            added.pointee.codecpar.pointee.codec_tag = 0
            added.pointee.time_base = audio.timeBase
            audioStream = added
        }

        let ends = starts.dropFirst() + [total]
        let chapters = zip(inputs, zip(starts, ends)).map { input, span in
            (title: input.chapterTitle, start: span.0, end: span.1)
        }
        try output.addChapters(chapters, timeBase: timeBase)
        try output.openFile(path)
        // faststart puts the index first so players can start before the whole file arrives.
        try output.writeHeader(options: [("movflags", "+faststart")])
        let outputTimeBase = stream.pointee.time_base  // the muxer may have changed it
        let audioTimeBase = audioStream?.pointee.time_base
        var lastAudioDTS: Int64? = nil

        let packet = try Packet()
        let noTimestamp = cc2v_nopts_value()
        var lastDTS: Int64? = nil
        var frames = 0
        for (index, segment) in segments.enumerated() {
            let input = try InputContainer(path: segment.path)
            let inputStream = try input.firstVideoStream()
            let inputTimeBase = inputStream.pointee.time_base
            let inputAudio = audioStream != nil ? input.firstAudioStream() : nil
            // Move this segment's first picture to where the previous segments end.
            let shift = av_rescale_q(starts[index], timeBase, outputTimeBase)
                - av_rescale_q(segment.firstPTS, inputTimeBase, outputTimeBase)
            while try input.read(into: packet.raw) {
                defer { av_packet_unref(packet.raw) }
                if let inputAudio, let audioStream, let audioTimeBase, packet.raw.pointee.stream_index == inputAudio.pointee.index {
                    // Each segment's audio starts with its video. Its priming packet (before 0) is
                    // kept for the first segment only: the muxer turns that into an edit list.
                    av_packet_rescale_ts(packet.raw, inputAudio.pointee.time_base, audioTimeBase)
                    if index > 0 && packet.raw.pointee.pts < 0 { continue }
                    let audioShift = av_rescale_q(starts[index], timeBase, audioTimeBase)
                    if packet.raw.pointee.pts != noTimestamp { packet.raw.pointee.pts += audioShift }
                    if packet.raw.pointee.dts != noTimestamp {
                        packet.raw.pointee.dts += audioShift
                        if let lastAudioDTS, packet.raw.pointee.dts <= lastAudioDTS { packet.raw.pointee.dts = lastAudioDTS + 1 }
                        if packet.raw.pointee.pts < packet.raw.pointee.dts { packet.raw.pointee.pts = packet.raw.pointee.dts }
                        lastAudioDTS = packet.raw.pointee.dts
                    }
                    packet.raw.pointee.stream_index = audioStream.pointee.index
                    packet.raw.pointee.pos = -1
                    try output.write(packet.raw)
                    continue
                }
                guard packet.raw.pointee.stream_index == inputStream.pointee.index else { continue }
                av_packet_rescale_ts(packet.raw, inputTimeBase, outputTimeBase)
                if packet.raw.pointee.pts != noTimestamp { packet.raw.pointee.pts += shift }
                if packet.raw.pointee.dts != noTimestamp {
                    packet.raw.pointee.dts += shift
                    // A following segment's leading B-frame delay can overlap the previous tail by rounding.
                    if let lastDTS, packet.raw.pointee.dts <= lastDTS { packet.raw.pointee.dts = lastDTS + 1 }
                    lastDTS = packet.raw.pointee.dts
                }
                packet.raw.pointee.stream_index = stream.pointee.index
                packet.raw.pointee.pos = -1
                try output.write(packet.raw)
                frames += 1
            }
        }
        try output.finish()
        return frames
    }
}

/// What the joiner needs to know about one segment before writing: its codec setup and its span.
private struct SegmentSummary {
    let path: String
    let parameters: CodecParameters
    let extradata: [UInt8]
    let timeBase: AVRational
    let frameRate: AVRational
    /// Earliest presentation time, in `timeBase`.
    let firstPTS: Int64
    /// From the first picture's start to the last picture's end, in `timeBase`.
    let duration: Int64
    /// The narration stream's parameters and time base, when the segment has one.
    let audio: (parameters: CodecParameters, timeBase: AVRational)?

    /// Reads all of the segment's video packets (without decoding) to find its exact span.
    init(path: String) throws {
        let input = try InputContainer(path: path)
        let stream = try input.firstVideoStream()
        guard let codecpar = stream.pointee.codecpar else { throw C2VError(.buildFailed, "no codec in \(path)") }
        let parameters = try CodecParameters(copying: codecpar)
        let packet = try Packet()
        let noTimestamp = cc2v_nopts_value()
        var first: Int64? = nil
        var end: Int64? = nil
        while try input.read(into: packet.raw) {
            defer { av_packet_unref(packet.raw) }
            guard packet.raw.pointee.stream_index == stream.pointee.index else { continue }
            let pts = packet.raw.pointee.pts != noTimestamp ? packet.raw.pointee.pts : packet.raw.pointee.dts
            guard pts != noTimestamp else { continue }
            let stop = pts + max(packet.raw.pointee.duration, 0)
            first = min(first ?? pts, pts)
            end = max(end ?? stop, stop)
        }
        guard let first, let end, end > first else {
            throw C2VError(.buildFailed, "segment has no timed video frames: \(path)")
        }
        self.path = path
        self.parameters = parameters
        self.extradata = parameters.extradata
        self.timeBase = stream.pointee.time_base
        self.frameRate = stream.pointee.avg_frame_rate
        self.firstPTS = first
        self.duration = end - first
        if let audio = input.firstAudioStream(), let parameters = audio.pointee.codecpar {
            self.audio = (try CodecParameters(copying: parameters), audio.pointee.time_base)
        } else {
            self.audio = nil
        }
    }

    /// True when packets of both segments can follow each other in one stream without re-encoding.
    func isStreamCompatible(with other: SegmentSummary) -> Bool {
        let mine = parameters.raw.pointee, theirs = other.parameters.raw.pointee
        return mine.codec_id == theirs.codec_id && mine.width == theirs.width && mine.height == theirs.height
            && mine.format == theirs.format && extradata == other.extradata
    }
}

extension SegmentJoiner {
    /// Segments -> one MP4 by stream copy, with chapters.
    public static let component = ComponentVersion("encode.join", 1)
}
