internal import CC2VFFmpeg
import C2VUtil
import Foundation

/// Encodes BGRA frames (Cairo ARGB32 premultiplied; alpha ignored, frames are opaque) into an H.264/yuv420p MP4 segment.
///
/// Drawing and encoding run on two threads so that the two costs overlap instead of adding up.
public enum SegmentEncoder {
    /// Draws `frameCount` frames with `draw` on the calling thread and encodes them on a dedicated encoder
    /// thread, handing frames over through a bounded ring of `ringSize` BGRA buffers (memory stays flat for
    /// any length; frames never touch disk).
    ///
    /// `draw(index, pixels, stride)` must fill width*height BGRA pixels; `stride` is the bytes per row
    /// (width*4 rounded up to 64 bytes). `progress(framesEncoded)` is called from time to time on the
    /// calling thread. The output is written to a temporary file in the same folder and renamed to `path`
    /// only on success. Frame i gets pts = i in time base 1/fps, so the segment lasts exactly frameCount/fps.
    /// If `draw` throws, the encoder thread is stopped cleanly, no partial file is left, and the error is rethrown.
    /// With `audio`, the segment also carries it as AAC (48 kHz mono), interleaved with the video.
    public static func encode(to path: String, settings: EncoderSettings, frameCount: Int, audio: SegmentAudio? = nil, ringSize: Int = 4,
                              draw: (Int, UnsafeMutableRawPointer, Int) throws -> Void,
                              progress: (Int) -> Void = { _ in }) throws {
        try loadLibAV()
        try settings.validate()
        guard frameCount > 0 else {
            throw C2VError(.invalidInput, "a segment needs at least one frame, got \(frameCount)")
        }
        guard ringSize > 0 else { throw C2VError(.invalidInput, "ring size must be at least 1, got \(ringSize)") }

        try createParentDirectory(of: path)
        let temporary = temporaryPath(for: path)
        let writer: SegmentWriter
        do {
            writer = try SegmentWriter(path: temporary, settings: settings, audio: audio)
        } catch {
            removeTemporary(temporary)
            throw error
        }

        let stride = (settings.width * 4 + 63) & ~63
        let ring = FrameRing(slots: ringSize, bytesPerSlot: stride * settings.height)
        let height = settings.height
        let thread = Thread {
            runEncoder(writer, ring: ring, stride: stride, height: height)
        }
        thread.name = "c2v-encoder"
        thread.stackSize = 8 << 20  // x264 runs part of its work on this thread; give it a normal stack.
        thread.start()

        var reported = 0
        do {
            for index in 0..<frameCount {
                let slot = try ring.acquireFreeSlot()
                try draw(index, ring.pixels(slot), stride)
                ring.submit(slot: slot, frame: Int64(index))
                let encoded = ring.framesEncoded
                if encoded != reported {
                    reported = encoded
                    progress(encoded)
                }
            }
            ring.finishProducing()
        } catch {
            ring.cancel()
            _ = ring.waitForEncoderExit()
            removeTemporary(temporary)
            throw error
        }
        if let failure = ring.waitForEncoderExit() {
            removeTemporary(temporary)
            throw failure
        }
        if reported != frameCount { progress(frameCount) }
        try FileIO.commitRename(from: temporary, to: path)
    }

    /// The encoder thread's body: encodes frames in the order they were drawn, then flushes and
    /// finishes the file, or stops early on cancellation or error. It always reports its exit.
    private static func runEncoder(_ writer: SegmentWriter, ring: FrameRing, stride: Int, height: Int) {
        var failure: (any Error)? = nil
        work: while true {
            switch ring.nextWork() {
            case .frame(let slot, let index):
                do {
                    try writer.encode(pixels: ring.pixels(slot), stride: stride, pts: index)
                } catch {
                    failure = error
                    break work
                }
                ring.release(slot: slot)
            case .finish:
                do { try writer.finish() } catch { failure = error }
                break work
            case .stop:
                break work
            }
        }
        // Close the file here, before the caller may delete it or rename it.
        writer.abandon()
        ring.encoderExited(failure)
    }
}

/// The libav side of one segment: encoder, scaler, frame, packet and mp4 muxer.
///
/// `@unchecked Sendable` because ownership moves, never shares: the calling thread builds it and
/// then only the encoder thread uses it until that thread reports its exit through `FrameRing`
/// (whose lock orders the hand-over); after that nobody calls it and it is merely released.
final class SegmentWriter: @unchecked Sendable {
    private let output: OutputContainer
    private let codec: CodecContext
    private let stream: UnsafeMutablePointer<AVStream>
    private let scaler: BGRAToYUVScaler
    private let frame: Frame
    private let packet: Packet
    private let height: Int
    private let fps: Int
    private let audio: AudioTrack?

    init(path: String, settings: EncoderSettings, audio: SegmentAudio? = nil) throws {
        try loadLibAV()
        guard let encoder = avcodec_find_encoder_by_name("libx264") else {
            throw C2VError(.native, "this FFmpeg has no libx264 encoder; install libavcodec built with libx264")
        }
        let output = try OutputContainer(format: "mp4", path: path)
        let codec = try CodecContext(codec: encoder)
        let context = codec.raw
        context.pointee.width = Int32(settings.width)
        context.pointee.height = Int32(settings.height)
        context.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        context.pointee.time_base = AVRational(num: 1, den: Int32(settings.fps))
        context.pointee.framerate = AVRational(num: Int32(settings.fps), den: 1)
        context.pointee.sample_aspect_ratio = AVRational(num: 1, den: 1)
        context.pointee.gop_size = Int32(settings.keyframeInterval)
        // One encoder thread per core: x264's automatic 1.5x per core buys no speed on a busy
        // machine (drawing has its own thread) and holds more frames in memory.
        context.pointee.thread_count = Int32(max(1, ProcessInfo.processInfo.activeProcessorCount))
        // Tagged BT.709 limited range to match what the scaler produces, so players show true colours.
        context.pointee.color_primaries = AVCOL_PRI_BT709
        context.pointee.color_trc = AVCOL_TRC_BT709
        context.pointee.colorspace = AVCOL_SPC_BT709
        context.pointee.color_range = AVCOL_RANGE_MPEG
        if output.needsGlobalHeader {
            // mp4 keeps SPS/PPS in avcC extradata; equal extradata is what makes segments joinable.
            context.pointee.flags |= Int32(AV_CODEC_FLAG_GLOBAL_HEADER)
        }
        let options = try LibavOptions([("preset", settings.preset), ("crf", String(settings.crf))])
        try av(avcodec_open2(context, encoder, &options.raw), "opening the libx264 encoder")
        try options.expectAllConsumed(by: "libx264")

        let stream = try output.addStream()
        try av(avcodec_parameters_from_context(stream.pointee.codecpar, context),
               "copying encoder parameters to the stream")
        stream.pointee.time_base = context.pointee.time_base
        stream.pointee.avg_frame_rate = context.pointee.framerate

        self.scaler = try BGRAToYUVScaler(width: settings.width, height: settings.height)
        self.frame = try Frame(width: settings.width, height: settings.height, format: AV_PIX_FMT_YUV420P)
        self.packet = try Packet()
        self.output = output
        self.codec = codec
        self.stream = stream
        self.height = settings.height
        self.fps = settings.fps
        self.audio = try audio.map { try AudioTrack(output: output, audio: $0) }
        try output.openFile(path)
        try output.writeHeader()
    }

    /// Converts and encodes one BGRA picture shown at `pts` (in frames).
    func encode(pixels: UnsafeRawPointer, stride: Int, pts: Int64) throws {
        // The encoder may still hold a reference to the previous picture; get private buffers first.
        try av(av_frame_make_writable(frame.raw), "making the video frame writable")
        try scaler.convert(pixels, stride: stride, height: height, into: frame.raw)
        frame.raw.pointee.pts = pts
        try av(avcodec_send_frame(codec.raw, frame.raw), "sending a frame to libx264")
        try writePendingPackets()
        try audio?.encode(upTo: Int((pts + 1) * Int64(AudioTrack.sampleRate) / Int64(fps)))
    }

    /// Flushes the encoder's delayed frames, then writes the trailer and closes the file.
    func finish() throws {
        try av(avcodec_send_frame(codec.raw, nil), "flushing libx264")
        try writePendingPackets()
        try audio?.finish()
        try output.finish()
    }

    /// Closes the file if `finish()` did not; used on every exit path of the encoder thread.
    func abandon() { output.abandon() }

    private func writePendingPackets() throws {
        while true {
            let status = avcodec_receive_packet(codec.raw, packet.raw)
            if status == cc2v_averror_eagain() || status == cc2v_averror_eof() { return }
            try av(status, "receiving a packet from libx264")
            // One frame each: libx264 leaves durations unset, and the last one sets the segment's length.
            if packet.raw.pointee.duration <= 0 { packet.raw.pointee.duration = 1 }
            av_packet_rescale_ts(packet.raw, codec.raw.pointee.time_base, stream.pointee.time_base)
            packet.raw.pointee.stream_index = stream.pointee.index
            try output.write(packet.raw)
        }
    }
}

/// The bounded hand-over between the drawing thread and the encoder thread.
///
/// A slot is either free (the drawer may fill it), filled (waiting for the encoder, in drawing
/// order), or being used by exactly one side, so pixel memory is never shared.
/// `@unchecked Sendable` because every mutable field is read and written only while holding `condition`,
/// and slot memory is touched only by the side that currently owns the slot.
final class FrameRing: @unchecked Sendable {
    enum Work {
        case frame(slot: Int, index: Int64)
        case finish
        case stop
    }

    private let condition = NSCondition()
    private let buffers: [UnsafeMutableRawPointer]
    private var free: [Int]
    private var filled: [(slot: Int, index: Int64)] = []
    private var producerDone = false
    private var cancelled = false
    private var encoded = 0
    private var exited = false
    private var failure: (any Error)? = nil

    init(slots: Int, bytesPerSlot: Int) {
        buffers = (0..<slots).map { _ in
            let memory = UnsafeMutableRawPointer.allocate(byteCount: bytesPerSlot, alignment: 64)
            memory.initializeMemory(as: UInt8.self, repeating: 0, count: bytesPerSlot)
            return memory
        }
        free = Array(0..<slots)
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
    }

    func pixels(_ slot: Int) -> UnsafeMutableRawPointer { buffers[slot] }

    /// Frames the encoder has taken in so far.
    var framesEncoded: Int {
        condition.lock()
        defer { condition.unlock() }
        return encoded
    }

    // MARK: Drawing side

    /// Waits for a free slot; throws the encoder's error if it has stopped, so drawing ends early.
    func acquireFreeSlot() throws -> Int {
        condition.lock()
        defer { condition.unlock() }
        while free.isEmpty && !exited { condition.wait() }
        if exited {
            throw failure ?? C2VError(.internal, "the encoder thread stopped before all frames were drawn")
        }
        return free.removeFirst()
    }

    func submit(slot: Int, frame index: Int64) {
        condition.lock()
        filled.append((slot, index))
        condition.broadcast()
        condition.unlock()
    }

    /// No more frames: the encoder flushes and finishes the file after the filled ones.
    func finishProducing() {
        condition.lock()
        producerDone = true
        condition.broadcast()
        condition.unlock()
    }

    /// Drawing failed: the encoder stops without finishing the file.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// Blocks until the encoder thread has exited and returns its error, if any.
    func waitForEncoderExit() -> (any Error)? {
        condition.lock()
        defer { condition.unlock() }
        while !exited { condition.wait() }
        return failure
    }

    // MARK: Encoder side

    func nextWork() -> Work {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if cancelled { return .stop }
            if !filled.isEmpty {
                let next = filled.removeFirst()
                return .frame(slot: next.slot, index: next.index)
            }
            if producerDone { return .finish }
            condition.wait()
        }
    }

    func release(slot: Int) {
        condition.lock()
        free.append(slot)
        encoded += 1
        condition.broadcast()
        condition.unlock()
    }

    func encoderExited(_ error: (any Error)?) {
        condition.lock()
        failure = error
        exited = true
        condition.broadcast()
        condition.unlock()
    }
}

extension SegmentEncoder {
    /// Frames -> H.264 segment (colour conversion, x264 options, muxing). The settings and the
    /// libraries' versions enter keys through `EncoderSettings` itself.
    public static let component = ComponentVersion("encode.segment", 1)
}
