import Foundation
import Nunjucks
import YAML

/// Site-wide data: `site.yaml` becomes `site`; each `_data/` file becomes a
/// variable named after it (`_data/nav.json` -> `nav`,
/// `_data/team/people.yaml` -> `team.people`).
public struct SiteData: @unchecked Sendable {
    public var site = JSObject()
    public var data = JSObject()
    public var errors: [SiteError] = []

    public static func load(config: (path: String, bytes: [UInt8])?, dataFiles: [(path: String, bytes: [UInt8])]) -> SiteData {
        var result = SiteData()
        if let config {
            if let value = result.parse(config.path, config.bytes) {
                if case .object(let object) = value {
                    result.site = object
                } else if !value.isNullish {
                    result.errors.append(SiteError(file: config.path, message: "site.yaml must be a mapping of keys to values"))
                }
            }
        }
        for file in dataFiles.sorted(by: { $0.path < $1.path }) {
            guard let value = result.parse(file.path, file.bytes) else { continue }
            var parts = file.path.split(separator: "/").dropFirst().map(String.init)  // drop "_data"
            guard var last = parts.popLast() else { continue }
            if let dot = last.lastIndex(of: ".") { last = String(last[..<dot]) }
            var object = result.data
            for part in parts {
                if case .object(let child)? = object[part] {
                    object = child
                } else {
                    let child = JSObject()
                    object[part] = .object(child)
                    object = child
                }
            }
            object[last] = value
        }
        return result
    }

    /// Parses one JSON or YAML data file (by its extension), appending any
    /// error with its position to `errors`. Pipelines read their data this way too.
    public static func parseDataFile(path: String, bytes: [UInt8], errors: inout [SiteError]) -> Value? {
        var data = SiteData()
        let value = data.parse(path, bytes)
        errors += data.errors
        return value
    }

    private mutating func parse(_ path: String, _ bytes: [UInt8]) -> Value? {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            errors.append(SiteError(file: path, message: "not valid UTF-8"))
            return nil
        }
        if path.hasSuffix(".json") {
            do {
                return try JSON.parse(text)
            } catch let error as JSON.ParseError {
                errors.append(SiteError(file: path, line: error.line, column: error.column, message: error.message))
                return nil
            } catch {
                errors.append(SiteError(file: path, message: "\(error)"))
                return nil
            }
        }
        do {
            return Value(yaml: try YAML.parse(text))
        } catch {
            errors.append(SiteError(file: path, line: error.line, column: error.column, message: error.message))
            return nil
        }
    }
}
