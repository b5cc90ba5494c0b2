internal import CC2VFFmpeg
import C2VUtil
import Foundation

// Owners for libav handles: one final class per C handle, which checks the status when it
// is made and frees the handle in deinit, so no error path can leak or double-free it.

/// Opens FFmpeg's libraries (once; c2v starts without them) and lowers their log level, so
/// their chatter never mixes with c2v's output; real failures still reach the user through
/// `av(_:_:)` errors. Warns once when the libraries differ from the headers c2v was built
/// with, because cache keys name the headers' versions.
func loadLibAV() throws {
    if let error = cc2v_av_load() { throw C2VError(.native, String(cString: error)) }
    _ = libavReady
}

private let libavReady: Void = {
    cc2v_av_log_set_level(AV_LOG_ERROR)
    let built = (cc2v_header_avcodec_version(), cc2v_header_swscale_version())
    let running = (avcodec_version(), swscale_version())
    if built != running {
        FileHandle.standardError.write(Data((
            "c2v: warning: FFmpeg's libraries (libavcodec \(versionText(running.0)), libswscale \(versionText(running.1))) differ "
            + "from the headers c2v was built with (\(versionText(built.0)), \(versionText(built.1))); rebuild c2v "
            + "(make build) so that cache keys follow the libraries\n").utf8))
    }
}()

func versionText(_ v: UInt32) -> String { "\(v >> 16).\((v >> 8) & 0xff).\(v & 0xff)" }

/// Turns a negative libav status into a `C2VError`, keeping libav's own message text.
///
/// - Parameter what: what was being done, phrased to follow "while" (for example "opening the encoder").
/// - Returns: `status` unchanged when it is not an error, for calls whose result is a count.
@discardableResult
func av(_ status: Int32, _ what: @autoclosure () -> String) throws -> Int32 {
    guard status < 0 else { return status }
    throw C2VError(.native, "libav failed while \(what())", underlying: libavErrorText(status))
}

/// libav's text for an error code, read through `av_strerror` because `av_err2str` is a macro.
func libavErrorText(_ status: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard av_strerror(status, &buffer, buffer.count) == 0 else { return "libav error \(status)" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// A path beside `path` for writing before the final rename, so readers never see a half-written file.
func temporaryPath(for path: String) -> String {
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent().path
    return "\(directory)/.tmp-\(UInt64.random(in: 0...UInt64.max))-\(url.lastPathComponent)"
}

/// Creates the folder that will hold `path`, so a fresh output directory needs no extra step.
/// The folder must exist already: a worker whose build died must not bring its scratch folder
/// back after the next build removed it.
func createParentDirectory(of path: String) throws {
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw C2VError(.io, "no folder \(folder) to write \((path as NSString).lastPathComponent) in")
    }
}

/// Removes a temporary file after a failure; a missing file is fine.
func removeTemporary(_ path: String) {
    _ = unlink(path)
}

/// Owns an `AVDictionary` of options and checks that libav used every entry,
/// because libav silently ignores options it does not know.
final class LibavOptions {
    var raw: OpaquePointer?

    init(_ pairs: [(String, String)]) throws {
        for (key, value) in pairs {
            try av(av_dict_set(&raw, key, value, 0), "setting option \(key)=\(value)")
        }
    }

    /// Throws when some option was not consumed; that is a c2v bug (a misspelt option or a libav change).
    func expectAllConsumed(by user: String) throws {
        guard av_dict_count(raw) > 0 else { return }
        var names: [String] = []
        var entry: UnsafeMutablePointer<AVDictionaryEntry>? = nil
        while let next = av_dict_get(raw, "", entry, AV_DICT_IGNORE_SUFFIX) {
            names.append(String(cString: next.pointee.key))
            entry = next
        }
        throw C2VError(.internal, "\(user) did not accept the options \(names.joined(separator: ", "))")
    }

    deinit { av_dict_free(&raw) }
}

/// Owns an `AVPacket`.
final class Packet {
    let raw: UnsafeMutablePointer<AVPacket>

    init() throws {
        guard let packet = av_packet_alloc() else { throw C2VError(.native, "out of memory allocating an AVPacket") }
        raw = packet
    }

    deinit {
        var packet: UnsafeMutablePointer<AVPacket>? = raw
        av_packet_free(&packet)
    }
}

/// Owns an `AVFrame` with its own picture buffers.
final class Frame {
    let raw: UnsafeMutablePointer<AVFrame>

    init(width: Int, height: Int, format: AVPixelFormat) throws {
        guard let frame = av_frame_alloc() else { throw C2VError(.native, "out of memory allocating an AVFrame") }
        frame.pointee.width = Int32(width)
        frame.pointee.height = Int32(height)
        frame.pointee.format = format.rawValue
        let status = av_frame_get_buffer(frame, 0)
        guard status >= 0 else {
            var doomed: UnsafeMutablePointer<AVFrame>? = frame
            av_frame_free(&doomed)
            try av(status, "allocating a \(width)x\(height) video frame")
            throw C2VError(.internal, "unreachable: av_frame_get_buffer failed without an error code")
        }
        raw = frame
    }

    deinit {
        var frame: UnsafeMutablePointer<AVFrame>? = raw
        av_frame_free(&frame)
    }
}

/// Owns an `AVCodecContext`.
final class CodecContext {
    let raw: UnsafeMutablePointer<AVCodecContext>

    init(codec: UnsafePointer<AVCodec>) throws {
        guard let context = avcodec_alloc_context3(codec) else {
            throw C2VError(.native, "out of memory allocating an AVCodecContext")
        }
        raw = context
    }

    deinit {
        var context: UnsafeMutablePointer<AVCodecContext>? = raw
        avcodec_free_context(&context)
    }
}

/// Owns a copy of a stream's `AVCodecParameters`, kept after its input file is closed.
final class CodecParameters {
    let raw: UnsafeMutablePointer<AVCodecParameters>

    init(copying source: UnsafePointer<AVCodecParameters>) throws {
        guard let parameters = avcodec_parameters_alloc() else {
            throw C2VError(.native, "out of memory allocating AVCodecParameters")
        }
        let status = avcodec_parameters_copy(parameters, source)
        guard status >= 0 else {
            var doomed: UnsafeMutablePointer<AVCodecParameters>? = parameters
            avcodec_parameters_free(&doomed)
            try av(status, "copying codec parameters")
            throw C2VError(.internal, "unreachable: avcodec_parameters_copy failed without an error code")
        }
        raw = parameters
    }

    /// The codec's global header (avcC for H.264): equal bytes mean the streams can be concatenated.
    var extradata: [UInt8] {
        guard let bytes = raw.pointee.extradata, raw.pointee.extradata_size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: bytes, count: Int(raw.pointee.extradata_size)))
    }

    deinit {
        var parameters: UnsafeMutablePointer<AVCodecParameters>? = raw
        avcodec_parameters_free(&parameters)
    }
}

/// Owns a swscale context that turns Cairo's BGRA into BT.709 limited-range yuv420p.
final class BGRAToYUVScaler {
    let raw: OpaquePointer

    init(width: Int, height: Int) throws {
        // Bilinear chroma filtering: point sampling makes coloured edges visibly jagged,
        // and anything slower costs time without a visible gain at equal size.
        guard let context = sws_getContext(Int32(width), Int32(height), AV_PIX_FMT_BGRA,
                                           Int32(width), Int32(height), AV_PIX_FMT_YUV420P,
                                           SWS_BILINEAR, nil, nil, nil) else {
            throw C2VError(.native, "swscale cannot convert BGRA to yuv420p at \(width)x\(height)")
        }
        raw = context
        // swscale defaults to BT.601 coefficients; the stream is tagged BT.709, so make them agree.
        let bt709 = sws_getCoefficients(SWS_CS_ITU709)
        let fullRangeSource: Int32 = 1, limitedRangeDestination: Int32 = 0
        let status = sws_setColorspaceDetails(context, bt709, fullRangeSource, bt709, limitedRangeDestination,
                                              0, 1 << 16, 1 << 16)
        guard status >= 0 else {
            throw C2VError(.native, "swscale cannot use BT.709 coefficients for BGRA to yuv420p")
        }
    }

    /// Converts one BGRA picture (`stride` bytes per row) into `frame`'s planes.
    func convert(_ pixels: UnsafeRawPointer, stride: Int, height: Int, into frame: UnsafeMutablePointer<AVFrame>) throws {
        let source: [UnsafePointer<UInt8>?] = [pixels.assumingMemoryBound(to: UInt8.self), nil, nil, nil]
        let sourceStrides: [Int32] = [Int32(stride), 0, 0, 0]
        // AVFrame.data and .linesize arrive as 8-tuples; read copies and view them as C arrays.
        let planes = frame.pointee.data
        let lineSizes = frame.pointee.linesize
        let rows = withUnsafePointer(to: planes) { planesTuple in
            planesTuple.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: 8) { destination in
                withUnsafePointer(to: lineSizes) { lineSizesTuple in
                    lineSizesTuple.withMemoryRebound(to: Int32.self, capacity: 8) { destinationStrides in
                        sws_scale(raw, source, sourceStrides, 0, Int32(height), destination, destinationStrides)
                    }
                }
            }
        }
        try av(rows, "converting a BGRA frame to yuv420p")
        guard rows == Int32(height) else {
            throw C2VError(.native, "swscale converted \(rows) of \(height) rows")
        }
    }

    deinit { sws_freeContext(raw) }
}

/// Owns an output `AVFormatContext` and the file it writes.
///
/// `finish()` writes the trailer and closes the file; a container dropped without it
/// closes the file unfinished, and the caller deletes it.
final class OutputContainer {
    let raw: UnsafeMutablePointer<AVFormatContext>
    private var fileOpen = false

    /// Makes a muxer for `format` named explicitly, because `path` may be a temporary name.
    init(format: String, path: String) throws {
        var context: UnsafeMutablePointer<AVFormatContext>? = nil
        try av(avformat_alloc_output_context2(&context, nil, format, path), "creating the \(format) muxer")
        guard let context else { throw C2VError(.native, "libav returned no \(format) muxer") }
        raw = context
    }

    /// Whether codecs must put their headers in extradata rather than in-band (true for mp4).
    var needsGlobalHeader: Bool {
        guard let format = raw.pointee.oformat else { return false }
        return format.pointee.flags & AVFMT_GLOBALHEADER != 0
    }

    func addStream() throws -> UnsafeMutablePointer<AVStream> {
        guard let stream = avformat_new_stream(raw, nil) else {
            throw C2VError(.native, "out of memory adding a stream to the output")
        }
        return stream
    }

    /// Adds chapters; libav has no public call for it, so this grows `chapters` as the demuxers do.
    func addChapters(_ chapters: [(title: String, start: Int64, end: Int64)], timeBase: AVRational) throws {
        guard !chapters.isEmpty else { return }
        let existing = Int(raw.pointee.nb_chapters)
        let pointerSize = MemoryLayout<UnsafeMutablePointer<AVChapter>?>.stride
        guard let grown = av_realloc_array(raw.pointee.chapters, existing + chapters.count, pointerSize) else {
            throw C2VError(.native, "out of memory adding chapters")
        }
        let table = grown.bindMemory(to: UnsafeMutablePointer<AVChapter>?.self, capacity: existing + chapters.count)
        raw.pointee.chapters = table
        for (offset, chapter) in chapters.enumerated() {
            guard let memory = av_mallocz(MemoryLayout<AVChapter>.size) else {
                throw C2VError(.native, "out of memory adding a chapter")
            }
            let entry = memory.bindMemory(to: AVChapter.self, capacity: 1)
            entry.pointee.id = Int64(existing + offset)
            entry.pointee.time_base = timeBase
            entry.pointee.start = chapter.start
            entry.pointee.end = chapter.end
            // Counted as soon as it is in the table, so avformat_free_context frees it on any later error.
            table[existing + offset] = entry
            raw.pointee.nb_chapters += 1
            try av(av_dict_set(&entry.pointee.metadata, "title", chapter.title, 0), "setting a chapter title")
        }
    }

    func openFile(_ path: String) throws {
        try av(avio_open(&raw.pointee.pb, path, AVIO_FLAG_WRITE), "opening \(path) for writing")
        fileOpen = true
    }

    func writeHeader(options: [(String, String)] = []) throws {
        let dictionary = try LibavOptions(options)
        try av(avformat_write_header(raw, &dictionary.raw), "writing the container header")
        try dictionary.expectAllConsumed(by: "the mp4 muxer")
    }

    /// Writes one packet; libav takes the packet's reference and leaves it blank.
    func write(_ packet: UnsafeMutablePointer<AVPacket>) throws {
        try av(av_interleaved_write_frame(raw, packet), "writing a video packet")
    }

    /// Writes the trailer (the mp4 index) and closes the file; only then is the file playable.
    func finish() throws {
        try av(av_write_trailer(raw), "writing the container trailer")
        fileOpen = false
        try av(avio_closep(&raw.pointee.pb), "closing the output file")
    }

    /// Closes the file without a trailer, for failure paths; the caller deletes the file.
    func abandon() {
        guard fileOpen else { return }
        fileOpen = false
        _ = avio_closep(&raw.pointee.pb)
    }

    deinit {
        abandon()
        avformat_free_context(raw)
    }
}

/// Owns an input `AVFormatContext` opened on a file, with its stream information read.
final class InputContainer {
    let raw: UnsafeMutablePointer<AVFormatContext>
    let path: String

    init(path: String) throws {
        var context: UnsafeMutablePointer<AVFormatContext>? = nil
        try av(avformat_open_input(&context, path, nil, nil), "opening \(path)")
        guard let opened = context else { throw C2VError(.native, "libav opened \(path) but returned nothing") }
        let status = avformat_find_stream_info(opened, nil)
        guard status >= 0 else {
            avformat_close_input(&context)
            try av(status, "reading stream information from \(path)")
            throw C2VError(.internal, "unreachable: avformat_find_stream_info failed without an error code")
        }
        raw = opened
        self.path = path
    }

    /// The first video stream; segments carry exactly one, other streams are ignored.
    func firstVideoStream() throws -> UnsafeMutablePointer<AVStream> {
        if let streams = raw.pointee.streams {
            for index in 0..<Int(raw.pointee.nb_streams) {
                if let stream = streams[index], let parameters = stream.pointee.codecpar,
                   parameters.pointee.codec_type == AVMEDIA_TYPE_VIDEO {
                    return stream
                }
            }
        }
        throw C2VError(.buildFailed, "no video stream in \(path)")
    }

    /// The first audio stream (a narrated segment's AAC), if any.
    func firstAudioStream() -> UnsafeMutablePointer<AVStream>? {
        guard let streams = raw.pointee.streams else { return nil }
        for index in 0..<Int(raw.pointee.nb_streams) {
            if let stream = streams[index], let parameters = stream.pointee.codecpar,
               parameters.pointee.codec_type == AVMEDIA_TYPE_AUDIO {
                return stream
            }
        }
        return nil
    }

    /// Reads the next packet into `packet`; false at the end of the file.
    func read(into packet: UnsafeMutablePointer<AVPacket>) throws -> Bool {
        let status = av_read_frame(raw, packet)
        if status == cc2v_averror_eof() { return false }
        try av(status, "reading a packet from \(path)")
        return true
    }

    deinit {
        var context: UnsafeMutablePointer<AVFormatContext>? = raw
        avformat_close_input(&context)
    }
}
