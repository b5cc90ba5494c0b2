import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// nginx with WebDAV (Debian's package) on a free loopback port, serving `/cache/` from a folder.
/// `@unchecked Sendable`: its fields are set once in `init`; `stop` may run from another thread
/// and only signals and waits for the process.
final class NginxCache: @unchecked Sendable {
    let process = Process()
    let root: URL
    let port: Int
    var url: String { "http://127.0.0.1:\(port)/cache" }
    var data: URL { root.appendingPathComponent("data/cache") }

    /// `password`: the cache needs HTTP Basic auth as user `team` with it.
    init(in root: URL, password: String? = nil) throws {
        self.root = root
        port = try Self.freePort()
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        // nginx's workers drop to an unprivileged user when started as root: let them write.
        for folder in [root, root.appendingPathComponent("data"), data] {
            try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: folder.path)
        }
        let conf = root.appendingPathComponent("nginx.conf")
        let p = root.path
        var auth = ""
        if let password {
            try "team:{PLAIN}\(password)\n".write(to: root.appendingPathComponent("htpasswd"), atomically: true, encoding: .utf8)
            auth = "auth_basic \"c2v\"; auth_basic_user_file \(p)/htpasswd;"
        }
        try """
            worker_processes 1;
            pid \(p)/nginx.pid;
            error_log \(p)/error.log;
            events { worker_connections 64; }
            http {
              access_log off;
              client_body_temp_path \(p)/body; proxy_temp_path \(p)/proxy; fastcgi_temp_path \(p)/fastcgi;
              uwsgi_temp_path \(p)/uwsgi; scgi_temp_path \(p)/scgi;
              server {
                listen 127.0.0.1:\(port);
                location /cache/ { root \(p)/data; dav_methods PUT DELETE; create_full_put_path on; client_max_body_size 1G; \(auth) }
              }
            }
            """.write(to: conf, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
        process.arguments = ["-p", p, "-c", conf.path, "-g", "daemon off;"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Ready once it answers.
        for _ in 0..<100 {
            let probe = try Tools.run("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "\(url)/ping"])
            if probe.stdout == "404" || probe.stdout == "401" { return }
            usleep(50_000)
        }
        stop()
        throw E2EError.message("nginx did not start on port \(port): \((try? String(contentsOf: root.appendingPathComponent("error.log"), encoding: .utf8)) ?? "")")
    }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }

    deinit { stop() }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw E2EError.message("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

@Suite("c2v with a remote cache (nginx)", .serialized) struct RemoteCacheTests {
    @Test("a second machine with an empty cache builds the lesson from the remote: nothing runs, same MP4 bytes")
    func secondMachine() throws {
        let ws = try Workspace()
        let nginx = try NginxCache(in: ws.root.appendingPathComponent("nginx"))
        defer { nginx.stop() }
        let secret = ["C2V_REMOTE_CACHE_AUTH": "team:hunter2-SECRET"]
        let first = try ws.build(["--remote-cache", nginx.url], environment: secret)
        #expect(first.status == 0, "stderr: \(first.stderr)")
        #expect(ws.files(under: nginx.data.appendingPathComponent("ac")).count >= 9, "action entries uploaded")
        let video = try Data(contentsOf: ws.video)

        // Machine B: another local cache and output folder, the same remote.
        let other = ws.root.appendingPathComponent("machine-b")
        let second = try Tools.run(try Tools.c2vPath(), [
            "build", ws.lesson.path, "--cache-dir", other.appendingPathComponent("cache").path,
            "--out-dir", other.appendingPathComponent("out").path, "--remote-cache", nginx.url,
        ], environment: secret)
        #expect(second.status == 0, "stderr: \(second.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: other.appendingPathComponent("out/tiny/report.json"))) as? [String: Any]
        let steps = report?["steps"] as? [[String: Any]] ?? []
        #expect(steps.filter { $0["status"] as? String == "ran" }.isEmpty, "ran: \(steps.filter { $0["status"] as? String == "ran" })")
        #expect(try Data(contentsOf: other.appendingPathComponent("out/tiny/tiny.mp4")) == video)
        let remote = report?["remote"] as? [String: Any]
        #expect((remote?["hits"] as? Int ?? 0) > 0 && remote?["errors"] as? Int == 0, "\(String(describing: remote))")

        let needle = Data("hunter2-SECRET".utf8)
        for file in ws.files(under: ws.root) where !file.path.contains("/nginx/") {
            #expect(try Data(contentsOf: file).range(of: needle) == nil, "the credentials leaked into \(file.path)")
        }
        #expect(!first.stderr.contains("hunter2") && !second.stderr.contains("hunter2"))
    }

    @Test("a narrated lesson from the remote: the second machine speaks and renders nothing")
    func narratedSecondMachine() throws {
        let ws = try Workspace(fixture: "narrated.yaml")
        let nginx = try NginxCache(in: ws.root.appendingPathComponent("nginx"))
        defer { nginx.stop() }
        try ws.buildOK(["--remote-cache", nginx.url])
        let other = ws.root.appendingPathComponent("machine-b")
        let second = try Tools.run(try Tools.c2vPath(), [
            "build", ws.lesson.path, "--cache-dir", other.appendingPathComponent("cache").path,
            "--out-dir", other.appendingPathComponent("out").path, "--remote-cache", nginx.url,
        ])
        #expect(second.status == 0, "stderr: \(second.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: other.appendingPathComponent("out/narrated/report.json"))) as? [String: Any]
        let ran = (report?["steps"] as? [[String: Any]] ?? []).filter { $0["status"] as? String == "ran" }
        #expect(ran.isEmpty, "ran: \(ran)")
        #expect(try Data(contentsOf: other.appendingPathComponent("out/narrated/narrated.mp4")) == Data(contentsOf: ws.video))
    }

    @Test("nginx stopped in mid-build: the build succeeds on the local cache and warns once")
    func remoteDown() throws {
        let ws = try Workspace()
        let nginx = try NginxCache(in: ws.root.appendingPathComponent("nginx"))
        try ws.buildOK(["--remote-cache", nginx.url])
        try ws.edit("A square wave jumps,", "A square wave jumps fast,")
        // Stop the server while the build is under way.
        let stopper = Thread { usleep(150_000); nginx.stop() }
        stopper.start()
        let result = try ws.build(["--remote-cache", nginx.url])
        nginx.stop()
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let warnings = result.stderr.components(separatedBy: "\n").filter { $0.contains("remote cache") }
        #expect(warnings.count <= 1, "warnings: \(warnings)")
        #expect(warnings.allSatisfy { $0.contains("carrying on with the local cache only") })
        // Once stopped, a build that needs the remote warns exactly once.
        try ws.edit("A square wave jumps fast,", "A square wave jumps faster,")
        let after = try ws.build(["--remote-cache", nginx.url])
        #expect(after.status == 0)
        #expect(after.stderr.components(separatedBy: "\n").filter { $0.contains("remote cache") }.count == 1)
        #expect(try ws.report().ids("ran") == ["code(beta)", "critique(beta)", "render(beta)", "assemble"])
    }

    @Test("a cache that needs auth, given the wrong password: one warning, and the build carries on locally")
    func wrongPassword() throws {
        let ws = try Workspace()
        let nginx = try NginxCache(in: ws.root.appendingPathComponent("nginx"), password: "right-one")
        defer { nginx.stop() }
        let wrong = try ws.build(["--remote-cache", nginx.url], environment: ["C2V_REMOTE_CACHE_AUTH": "team:wrong-one"])
        #expect(wrong.status == 0, "stderr: \(wrong.stderr)")
        let warnings = wrong.stderr.components(separatedBy: "\n").filter { $0.contains("remote cache") }
        #expect(warnings.count == 1 && warnings[0].contains("401"), "warnings: \(warnings)")
        #expect(!wrong.stderr.contains("wrong-one"))
        let right = try ws.build(["--remote-cache", nginx.url], environment: ["C2V_REMOTE_CACHE_AUTH": "team:right-one"])
        #expect(right.status == 0)
        #expect(!right.stderr.contains("remote cache"), "stderr: \(right.stderr)")
        #expect(try TrustTests.decodeErrors(ws.video) == "")
    }

    @Test("--remote-cache-required against a dead server exits 1 with a clear message; without it the build goes on")
    func requiredRemote() throws {
        let ws = try Workspace()
        let dead = "http://127.0.0.1:\(try NginxCache.freePort())/cache"
        let failed = try ws.build(["--remote-cache", dead, "--remote-cache-required"])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("is required (--remote-cache-required) but does not answer"), "stderr: \(failed.stderr)")
        let carried = try ws.build(["--remote-cache", dead])
        #expect(carried.status == 0, "stderr: \(carried.stderr)")
        #expect(carried.stderr.components(separatedBy: "\n").filter { $0.contains("remote cache") }.count == 1)
    }

    @Test("a blob corrupted on the server is a miss: rebuilt, uploaded again, and the output is right")
    func corruptRemoteBlob() throws {
        let ws = try Workspace()
        let nginx = try NginxCache(in: ws.root.appendingPathComponent("nginx"))
        defer { nginx.stop() }
        try ws.buildOK(["--remote-cache", nginx.url])
        let video = try Data(contentsOf: ws.video)
        let (digest, _) = try TrustTests.blob(ws, step: "render(beta)", output: "segment")
        let remoteBlob = nginx.data.appendingPathComponent("cas/\(digest)")
        try TrustTests.rot(remoteBlob)
        let other = ws.root.appendingPathComponent("machine-b")
        let second = try Tools.run(try Tools.c2vPath(), [
            "build", ws.lesson.path, "--cache-dir", other.appendingPathComponent("cache").path,
            "--out-dir", other.appendingPathComponent("out").path, "--remote-cache", nginx.url,
        ])
        #expect(second.status == 0, "stderr: \(second.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: other.appendingPathComponent("out/tiny/report.json"))) as? [String: Any]
        let ran = (report?["steps"] as? [[String: Any]] ?? []).filter { $0["status"] as? String == "ran" }.compactMap { step in
            (step["section"] as? String).map { "\(step["kind"]!)(\($0))" } ?? step["kind"] as? String
        }
        #expect(ran.contains("render(beta)"), "ran: \(ran)")
        #expect(try Tools.sha256(remoteBlob) == digest, "the rebuilt blob was uploaded again")
        #expect(try Data(contentsOf: other.appendingPathComponent("out/tiny/tiny.mp4")) == video)
    }
}

@Suite("c2v --shard") struct ShardTests {
    @Test("--shard 0/2 and 1/2 on a four-lesson course build each lesson exactly once; a bad shard is a usage error")
    func shards() throws {
        let ws = try Workspace()
        let course = ws.root.appendingPathComponent("course")
        try FileManager.default.createDirectory(at: course, withIntermediateDirectories: true)
        let text = try ws.lessonText
        for name in ["l1", "l2", "l3", "l10"] {
            try Data(text.utf8).write(to: course.appendingPathComponent("\(name).yaml"))
        }
        var built: [String] = []
        for index in 0..<2 {
            let out = ws.root.appendingPathComponent("out-\(index)")
            let result = try Tools.run(try Tools.c2vPath(), [
                "build", course.path, "--shard", "\(index)/2", "--cache-dir", ws.cache.path, "--out-dir", out.path,
            ])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            let lessons = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
            #expect(lessons.count == 2)
            built += lessons
        }
        // Natural order l1, l2, l3, l10: shard 0 gets l1 and l3, shard 1 gets l2 and l10.
        #expect(built.sorted() == ["l1", "l10", "l2", "l3"])
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: ws.root.appendingPathComponent("out-0").path)) == ["l1", "l3"])
        let bad = try Tools.run(try Tools.c2vPath(), ["build", course.path, "--shard", "2/2", "--cache-dir", ws.cache.path])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--shard takes INDEX/COUNT"), "stderr: \(bad.stderr)")
    }

    @Test("--shard deals lessons by cost: a long lesson gets a shard to itself, first by its sections, then by the time its build recorded")
    func shardsBalanceByCost() throws {
        let ws = try Workspace()
        let course = ws.root.appendingPathComponent("course")
        try FileManager.default.createDirectory(at: course, withIntermediateDirectories: true)
        func lesson(_ title: String, sections: Int) -> String {
            var text = "c2v: 1\ntitle: \(title)\nvideo: {size: 320x180, fps: 10, quality: draft}\nnarration: off\nsections:\n"
            for s in 0..<sections {
                text += "  - {id: s\(s), title: \(title) part \(s), lecture_lines: [Part \(s) of \(title), then more]}\n"
            }
            return text
        }
        for (name, sections) in [("l1", 1), ("l2", 1), ("l3", 1), ("l10", 5)] {
            try Data(lesson(name, sections: sections).utf8).write(to: course.appendingPathComponent("\(name).yaml"))
        }
        func round(_ label: String) throws -> [[String]] {
            try (0..<2).map { index in
                let out = ws.root.appendingPathComponent("out-\(label)-\(index)")
                let result = try Tools.run(try Tools.c2vPath(), [
                    "build", course.path, "--shard", "\(index)/2", "--cache-dir", ws.cache.path, "--out-dir", out.path,
                ])
                #expect(result.status == 0, "stderr: \(result.stderr)")
                return ((try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []).sorted()
            }
        }
        // Nothing recorded yet: priced by sections, 5 against 1 + 1 + 1.
        let first = try round("first")
        #expect(first == [["l10"], ["l1", "l2", "l3"]])
        // An edit makes a new course version, dealt by what the first one recorded.
        try Data(lesson("l2 edited", sections: 1).utf8).write(to: course.appendingPathComponent("l2.yaml"))
        let second = try round("second")
        #expect(second.flatMap { $0 }.sorted() == ["l1", "l10", "l2", "l3"], "each lesson exactly once: \(second)")
        #expect(second[0] == ["l10"], "the recorded costs put the five-section lesson alone: \(second)")
    }
}
