internal import CC2VFFmpeg
import C2VUtil
import Foundation

/// A section's narration: mono samples at `AudioTrack.sampleRate`, exactly as long as its video.
public struct SegmentAudio: Sendable {
    /// Narration is encoded at this rate.
    public static let sampleRate = 48_000
    public var samples: [Float]

    public init(samples: [Float]) { self.samples = samples }
}

/// Resamples mono audio with libswresample.
public enum AudioResampler {
    public static func resample(_ samples: [Float], from inputRate: Int, to outputRate: Int) throws -> [Float] {
        try loadLibAV()
        guard inputRate != outputRate, !samples.isEmpty else { return samples }
        var outLayout = AVChannelLayout(), inLayout = AVChannelLayout()
        av_channel_layout_default(&outLayout, 1)
        av_channel_layout_default(&inLayout, 1)
        var context: OpaquePointer? = nil
        try av(swr_alloc_set_opts2(&context, &outLayout, AV_SAMPLE_FMT_FLT, Int32(outputRate), &inLayout, AV_SAMPLE_FMT_FLT,
                                   Int32(inputRate), 0, nil), "setting up the resampler")
        defer { swr_free(&context) }
        try av(swr_init(context), "starting the resampler")
        let capacity = samples.count * outputRate / inputRate + 4096
        var output = [Float](repeating: 0, count: capacity)
        var written = 0
        try samples.withUnsafeBufferPointer { input in
            try output.withUnsafeMutableBufferPointer { out in
                var inPointer: UnsafePointer<UInt8>? = UnsafeRawPointer(input.baseAddress!).assumingMemoryBound(to: UInt8.self)
                var outPointer: UnsafeMutablePointer<UInt8>? = UnsafeMutableRawPointer(out.baseAddress!).assumingMemoryBound(to: UInt8.self)
                let n = swr_convert(context, &outPointer, Int32(capacity), &inPointer, Int32(samples.count))
                try av(n, "resampling")
                written = Int(n)
                // Drain what the filter still holds.
                var tail: UnsafeMutablePointer<UInt8>? = UnsafeMutableRawPointer(out.baseAddress! + written).assumingMemoryBound(to: UInt8.self)
                let m = swr_convert(context, &tail, Int32(capacity - written), nil, 0)
                try av(m, "resampling")
                written += Int(m)
            }
        }
        return Array(output.prefix(written))
    }
}

/// The narration's AAC encoder and stream inside one segment (libavcodec's native `aac`).
///
/// Audio is fed as video frames are encoded, so packets interleave; the muxer writes the
/// encoder's priming as an edit list, so a segment's audio starts at 0 with its video.
final class AudioTrack {
    static let sampleRate = SegmentAudio.sampleRate
    private let codec: CodecContext
    let stream: UnsafeMutablePointer<AVStream>
    private let frame: UnsafeMutablePointer<AVFrame>
    private let packet: Packet
    private let samples: [Float]
    private let frameSize: Int
    private var sent = 0
    private let output: OutputContainer

    init(output: OutputContainer, audio: SegmentAudio) throws {
        guard let encoder = avcodec_find_encoder_by_name("aac") else { throw C2VError(.native, "this FFmpeg has no aac encoder") }
        codec = try CodecContext(codec: encoder)
        let context = codec.raw
        context.pointee.sample_fmt = AV_SAMPLE_FMT_FLTP
        context.pointee.sample_rate = Int32(Self.sampleRate)
        av_channel_layout_default(&context.pointee.ch_layout, 1)
        context.pointee.bit_rate = 96_000
        context.pointee.time_base = AVRational(num: 1, den: Int32(Self.sampleRate))
        if output.needsGlobalHeader { context.pointee.flags |= Int32(AV_CODEC_FLAG_GLOBAL_HEADER) }
        try av(avcodec_open2(context, encoder, nil), "opening the aac encoder")
        stream = try output.addStream()
        try av(avcodec_parameters_from_context(stream.pointee.codecpar, context), "copying aac parameters to the stream")
        stream.pointee.time_base = context.pointee.time_base
        frameSize = Int(context.pointee.frame_size > 0 ? context.pointee.frame_size : 1024)
        guard let frame = av_frame_alloc() else { throw C2VError(.native, "out of memory allocating an audio frame") }
        frame.pointee.format = AV_SAMPLE_FMT_FLTP.rawValue
        frame.pointee.sample_rate = Int32(Self.sampleRate)
        frame.pointee.nb_samples = Int32(frameSize)
        _ = av_channel_layout_copy(&frame.pointee.ch_layout, &context.pointee.ch_layout)
        let status = av_frame_get_buffer(frame, 0)
        if status < 0 {
            var doomed: UnsafeMutablePointer<AVFrame>? = frame
            av_frame_free(&doomed)
            try av(status, "allocating an audio frame")
        }
        self.frame = frame
        packet = try Packet()
        samples = audio.samples
        self.output = output
    }

    deinit {
        var doomed: UnsafeMutablePointer<AVFrame>? = frame
        av_frame_free(&doomed)
    }

    /// Encodes whole frames of audio up to `sampleCount` samples from the start.
    func encode(upTo sampleCount: Int) throws {
        let limit = min(sampleCount, samples.count)
        while sent + frameSize <= limit { try send(frameSize) }
    }

    /// Encodes the rest (a short last frame), then flushes the encoder.
    func finish() throws {
        while sent < samples.count { try send(min(frameSize, samples.count - sent)) }
        try av(avcodec_send_frame(codec.raw, nil), "flushing the aac encoder")
        try writePending()
    }

    private func send(_ count: Int) throws {
        try av(av_frame_make_writable(frame), "making the audio frame writable")
        frame.pointee.nb_samples = Int32(count)
        let channel = frame.pointee.data.0!.withMemoryRebound(to: Float.self, capacity: frameSize) { $0 }
        samples.withUnsafeBufferPointer { source in
            channel.update(from: source.baseAddress! + sent, count: count)
        }
        frame.pointee.pts = Int64(sent)
        sent += count
        try av(avcodec_send_frame(codec.raw, frame), "sending audio to the aac encoder")
        try writePending()
    }

    private func writePending() throws {
        while true {
            let status = avcodec_receive_packet(codec.raw, packet.raw)
            if status == cc2v_averror_eagain() || status == cc2v_averror_eof() { return }
            try av(status, "receiving a packet from the aac encoder")
            av_packet_rescale_ts(packet.raw, codec.raw.pointee.time_base, stream.pointee.time_base)
            packet.raw.pointee.stream_index = stream.pointee.index
            try output.write(packet.raw)
        }
    }
}
