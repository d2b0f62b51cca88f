/// A libyaml parse event translated to Swift values.
enum YAMLEvent {
    case streamStart
    case streamEnd
    case documentStart
    case documentEnd
    case alias(anchor: String)
    case scalar(anchor: String?, tag: String?, text: String, style: YAMLScalarStyle)
    case sequenceStart(anchor: String?, tag: String?)
    case sequenceEnd
    case mappingStart(anchor: String?, tag: String?)
    case mappingEnd
}

/// An event and where it starts.
struct MarkedYAMLEvent {
    var event: YAMLEvent
    var mark: YAMLMark
}

extension MarkedYAMLEvent {
    var isAlias: Bool {
        if case .alias = event { return true }
        return false
    }
}
