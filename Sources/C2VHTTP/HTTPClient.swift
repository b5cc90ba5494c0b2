internal import CC2VCurl
import C2VUtil
import Foundation

/// One HTTP response: status, headers (lower-case names) and body.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data
}

/// A transport failure before any HTTP status arrived (no connection, timeout, broken transfer).
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public var code: Int
    public var message: String
    /// Worth another attempt: connection refused or reset, timeouts, truncated transfers.
    public var retryable: Bool
    public var description: String { message }
}

/// HTTP over libcurl for the agents, the speech endpoint and the remote cache. Easy handles are pooled, so connections to the same host are
/// reused between calls; HTTPS uses the system CA store, proxies come from the usual
/// environment variables (curl reads `https_proxy`, `no_proxy`, ...). Blocking: call it from
/// the agent pool, never from the scheduler.
public final class HTTPClient: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [UnsafeMutableRawPointer] = []

    public static let shared = HTTPClient()
    /// What an empty request body points at (never read: its size is 0).
    nonisolated(unsafe) private static let emptyBody = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    public init() {}

    deinit {
        for handle in idle { curl_easy_cleanup(handle) }
    }

    public enum Method: String, Sendable {
        case get = "GET", put = "PUT", head = "HEAD", post = "POST"
    }

    /// POSTs `body` to `url` and waits for the whole response.
    public func post(_ url: String, headers: [String: String], body: Data, connectTimeout: Double,
                     timeout: Double) throws -> HTTPResponse {
        try request(.post, url, headers: headers, body: body, connectTimeout: connectTimeout, timeout: timeout)
    }

    /// Sends one request and waits for the whole response.
    /// - Parameters:
    ///   - body: sent with POST and PUT.
    ///   - connectTimeout: seconds to establish the connection.
    ///   - timeout: seconds for the whole exchange.
    ///   - userPassword: HTTP Basic credentials (`user:password`), given to curl only.
    public func request(_ method: Method, _ url: String, headers: [String: String] = [:], body: Data = Data(),
                        connectTimeout: Double, timeout: Double, userPassword: String? = nil,
                        netrc: String? = nil) throws -> HTTPResponse {
        if let error = cc2v_curl_load() { throw C2VError(.native, String(cString: error)) }
        _ = Self.globalInit
        let handle = checkout()
        var reusable = true
        defer { checkin(handle, reusable: reusable) }
        curl_easy_reset(handle)

        final class Sink {
            var body = Data()
            var headers: [String: String] = [:]
        }
        let sink = Sink()
        let unmanaged = Unmanaged.passRetained(sink)
        defer { unmanaged.release() }

        let write: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = { data, size, count, user in
            guard let data, let user else { return 0 }
            let sink = Unmanaged<Sink>.fromOpaque(user).takeUnretainedValue()
            sink.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count)
            return size * count
        }
        let header: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = { data, size, count, user in
            guard let data, let user else { return 0 }
            let sink = Unmanaged<Sink>.fromOpaque(user).takeUnretainedValue()
            let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
            if line.hasPrefix("HTTP/") { sink.headers = [:] }  // a new response (after a redirect or 100 Continue)
            if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
                sink.headers[name] = value
            }
            return size * count
        }

        var list: UnsafeMutablePointer<curl_slist>?
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            list = curl_slist_append(list, "\(name): \(value)")
        }
        list = curl_slist_append(list, "Expect:")  // no 100-continue round trip
        defer { curl_slist_free_all(list) }

        let opaque = unmanaged.toOpaque()
        var setup = [
            cc2v_curl_setopt_string(handle, CURLOPT_URL, url),
            cc2v_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1),
            cc2v_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(connectTimeout * 1000)),
            cc2v_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(timeout * 1000)),
            cc2v_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0),
            cc2v_curl_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1),
            cc2v_curl_setopt_pointer(handle, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(list)),
            cc2v_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, opaque),
            cc2v_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, opaque),
            cc2v_curl_setopt_write_function(handle, write),
            cc2v_curl_setopt_header_function(handle, header),
        ]
        switch method {
        case .post: setup.append(cc2v_curl_setopt_long(handle, CURLOPT_POST, 1))
        case .put:
            setup.append(cc2v_curl_setopt_long(handle, CURLOPT_POST, 1))
            setup.append(cc2v_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, "PUT"))
        case .head: setup.append(cc2v_curl_setopt_long(handle, CURLOPT_NOBODY, 1))
        case .get: setup.append(cc2v_curl_setopt_long(handle, CURLOPT_HTTPGET, 1))
        }
        if let netrc {
            setup.append(cc2v_curl_setopt_long(handle, CURLOPT_NETRC, 1))  // 1: CURL_NETRC_OPTIONAL
            setup.append(cc2v_curl_setopt_string(handle, CURLOPT_NETRC_FILE, netrc))
        }
        if let userPassword {
            setup.append(cc2v_curl_setopt_long(handle, CURLOPT_HTTPAUTH, 1))  // 1: CURLAUTH_BASIC
            setup.append(cc2v_curl_setopt_string(handle, CURLOPT_USERPWD, userPassword))
        }
        let sendsBody = method == .post || method == .put
        let code: CURLcode = body.withUnsafeBytes { raw in
            if sendsBody {
                setup.append(cc2v_curl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, raw.count))
                // An empty body still needs a non-null pointer, or curl reads from stdin.
                let pointer = raw.baseAddress.map { UnsafeMutableRawPointer(mutating: $0) } ?? Self.emptyBody
                setup.append(cc2v_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, pointer))
            }
            if let bad = setup.first(where: { $0 != CURLE_OK }) { return bad }
            return curl_easy_perform(handle)
        }
        guard code == CURLE_OK else {
            reusable = false
            let message = String(cString: curl_easy_strerror(code))
            let retryable: Set<CURLcode> = [CURLE_COULDNT_CONNECT, CURLE_OPERATION_TIMEDOUT, CURLE_RECV_ERROR, CURLE_SEND_ERROR,
                                            CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_COULDNT_RESOLVE_HOST]
            throw TransportError(code: Int(code.rawValue), message: "\(message) (curl \(code.rawValue))", retryable: retryable.contains(code))
        }
        var status = 0
        _ = cc2v_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: sink.headers, body: sink.body)
    }

    private func checkout() -> UnsafeMutableRawPointer {
        lock.lock()
        defer { lock.unlock() }
        if let handle = idle.popLast() { return handle }
        guard let handle = curl_easy_init() else { fatalError("curl_easy_init failed: out of memory") }
        return handle
    }

    private func checkin(_ handle: UnsafeMutableRawPointer, reusable: Bool) {
        guard reusable else { curl_easy_cleanup(handle); return }
        lock.lock()
        defer { lock.unlock() }
        if idle.count < 8 { idle.append(handle) } else { curl_easy_cleanup(handle) }
    }
}
