"""rrweb's event vocabulary (the numbers the recorder sends) and Qorrelate's custom-event tags."""

# eventWithTime.type
DOM_CONTENT_LOADED = 0
LOAD = 1
FULL_SNAPSHOT = 2
INCREMENTAL_SNAPSHOT = 3
META = 4
CUSTOM = 5
PLUGIN = 6

# IncrementalSnapshot data.source
MUTATION = 0
MOUSE_MOVE = 1
MOUSE_INTERACTION = 2
SCROLL = 3
VIEWPORT_RESIZE = 4
INPUT = 5
TOUCH_MOVE = 6
MEDIA_INTERACTION = 7
STYLE_SHEET_RULE = 8
DRAG = 12
STYLE_DECLARATION = 13
SELECTION = 14
ADOPTED_STYLE_SHEET = 15

# MouseInteraction data.type
CLICK = 2
DBL_CLICK = 4
FOCUS = 5

# Serialized node types (full snapshot and mutation adds)
ELEMENT_NODE = 2

TAG_NETWORK = "qorrelate.network"
TAG_CONSOLE = "qorrelate.console"
TAG_ERROR = "qorrelate.error"
TAG_NAVIGATION = "qorrelate.navigation"
TAG_IDENTIFY = "qorrelate.identify"
TAG_EVENT = "qorrelate.event"

# Sources that mean a person is at the page.
ACTIVITY_SOURCES = frozenset({MOUSE_MOVE, MOUSE_INTERACTION, SCROLL, INPUT, TOUCH_MOVE, DRAG})
# Incremental sources that count as the page answering a click.
RESPONSE_SOURCES = frozenset(
    {
        MUTATION,
        SCROLL,
        INPUT,
        MEDIA_INTERACTION,
        STYLE_SHEET_RULE,
        STYLE_DECLARATION,
        SELECTION,
        ADOPTED_STYLE_SHEET,
    }
)
EDITABLE_TAGS = frozenset({"input", "textarea", "select", "option", "label"})
