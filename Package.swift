// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "c2v",
    // Linux (Debian 12 and its packages) is the one platform c2v is built and tested on.
    products: [
        .executable(name: "c2v", targets: ["c2v"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // REAPI ActionResult messages for the remote cache's /ac/ values (bazel-remote validates them).
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // System libraries: module map + shim.h + pkg-config.
        .systemLibrary(
            name: "CC2VCairo", path: "Sources/CC2VCairo", pkgConfig: "cairo pangocairo",
            providers: [.apt(["libcairo2-dev", "libpango1.0-dev"])]),
        // FFmpeg's headers, and a loader that opens its libraries on first use (see loader.c).
        .target(name: "CC2VFFmpeg", path: "Sources/CC2VFFmpeg", linkerSettings: [.linkedLibrary("dl")]),
        // espeak-ng's header, and a loader that opens it the first time c2v speaks (see loader.c).
        .target(name: "CC2VSpeech", path: "Sources/CC2VSpeech", linkerSettings: [.linkedLibrary("dl")]),
        // libcurl's header, and a loader that opens the library on first use (see loader.c).
        .target(name: "CC2VCurl", path: "Sources/CC2VCurl", linkerSettings: [.linkedLibrary("dl")]),
        // GNU source-highlight (C++) behind a C interface. Linked, not opened with dlopen: its API
        // is C++ classes (see docs/code-highlighting.md). Its pkg-config asks for boost_regex too.
        .target(name: "CC2VHighlight", path: "Sources/CC2VHighlight",
                linkerSettings: [.linkedLibrary("source-highlight"), .linkedLibrary("boost_regex")]),
        // librsvg's header, and a loader that opens it the first time a scene shows an SVG (see
        // loader.c). Its pkg-config would also link it, so only its include folders are named;
        // CC2VCairo brings GLib's and cairo's.
        .target(name: "CC2VRsvg", dependencies: ["CC2VCairo"], path: "Sources/CC2VRsvg",
                cSettings: [.unsafeFlags(["-I/usr/include/librsvg-2.0", "-I/usr/include/gdk-pixbuf-2.0"])],
                linkerSettings: [.linkedLibrary("dl")]),

        // Layers, bottom to top. Imports go one way: down this list, never up.
        .target(name: "C2VUtil"),
        .target(name: "C2VBuild", dependencies: [
            "C2VUtil", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "C2VLesson", dependencies: ["C2VUtil", "Yams"]),
        .target(name: "C2VMath", dependencies: ["C2VUtil", "CC2VCairo"]),
        .target(name: "C2VCode", dependencies: ["C2VUtil", "CC2VHighlight"]),
        .target(name: "C2VSVG", dependencies: ["C2VUtil", "CC2VRsvg"]),
        .target(name: "C2VScene", dependencies: ["C2VUtil", "C2VLesson", "C2VMath", "C2VCode", "C2VSVG"]),
        .target(name: "C2VEncode", dependencies: ["C2VUtil", "CC2VFFmpeg"]),
        .target(name: "C2VNarration", dependencies: ["C2VUtil", "CC2VSpeech"]),
        .target(name: "C2VRender", dependencies: ["C2VUtil", "C2VLesson", "C2VScene", "C2VMath", "C2VSVG", "CC2VCairo"]),
        .target(name: "C2VHTTP", dependencies: ["C2VUtil", "CC2VCurl"]),
        .target(name: "C2VAgents", dependencies: [
            "C2VUtil", "C2VScene", "C2VLesson", "C2VHTTP", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The remote cache: the Bazel HTTP cache protocol behind the engine's storage protocols.
        .target(name: "C2VRemote", dependencies: [
            "C2VUtil", "C2VBuild", "C2VHTTP", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ]),
        .target(name: "C2VPipeline", dependencies: [
            "C2VUtil", "C2VBuild", "C2VLesson", "C2VScene", "C2VMath", "C2VAgents", "C2VRender", "C2VEncode", "C2VNarration",
            "C2VRemote", "C2VCode",
        ]),
        .executableTarget(name: "c2v", dependencies: [
            "C2VPipeline", "C2VLesson", "C2VUtil", "C2VAgents", "C2VBuild",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // The mutation fuzzer (scripts/fuzz, and a run of it in the tests).
        .executableTarget(name: "c2v-fuzz", dependencies: [
            "C2VPipeline", "C2VLesson", "C2VScene", "C2VUtil", "C2VBuild", "C2VTestSupport",
        ]),

        // Shared by the test targets: frames as pixels, the component-version guard, fixtures.
        .target(name: "C2VTestSupport", dependencies: ["C2VUtil", "C2VRender", "CC2VCairo"],
                resources: [.copy("Resources/fake_openai.py")]),

        .testTarget(name: "C2VUtilTests", dependencies: ["C2VUtil"]),
        .testTarget(name: "C2VBuildTests", dependencies: ["C2VBuild", "C2VUtil", "C2VTestSupport"]),
        .testTarget(name: "C2VLessonTests", dependencies: ["C2VLesson", "C2VUtil"]),
        .testTarget(name: "C2VCodeTests", dependencies: ["C2VCode", "C2VUtil"]),
        .testTarget(name: "C2VSVGTests", dependencies: ["C2VSVG", "C2VUtil", "C2VTestSupport", "CC2VCairo"]),
        .testTarget(name: "C2VSceneTests", dependencies: ["C2VScene", "C2VLesson", "C2VUtil", "C2VTestSupport"]),
        .testTarget(name: "C2VEncodeTests", dependencies: ["C2VEncode", "C2VUtil"]),
        .testTarget(name: "C2VNarrationTests", dependencies: ["C2VNarration", "C2VUtil"]),
        .testTarget(name: "C2VRemoteTests", dependencies: [
            "C2VRemote", "C2VBuild", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ]),
        .testTarget(name: "C2VMathTests", dependencies: ["C2VMath", "C2VUtil"], resources: [.copy("Golden")]),
        .testTarget(name: "C2VRenderTests", dependencies: ["C2VRender", "C2VScene", "C2VLesson", "C2VUtil", "C2VTestSupport"]),
        .testTarget(name: "C2VAgentsTests", dependencies: ["C2VAgents", "C2VScene", "C2VLesson"]),
        .testTarget(name: "C2VPipelineTests", dependencies: [
            "C2VPipeline", "C2VLesson", "C2VBuild", "C2VRender", "C2VScene", "C2VMath", "C2VAgents", "C2VNarration", "C2VTestSupport",
            "C2VCode",
        ], exclude: ["Golden", "ComponentFingerprints.json"]),
        .testTarget(name: "EndToEndTests", dependencies: ["C2VTestSupport"], resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v6]
)
