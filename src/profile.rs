//! The API profile: every framework name the rules look for. Rules read names from here and
//! never spell them in their own code, so a project with other names only swaps the profile.

/// Names the three rules match, with the lifecycle model's defaults.
#[derive(Clone, Debug)]
pub struct ApiProfile {
    /// Function names that are mount functions (`mount`, `on_mount`).
    pub mount_fns: Vec<String>,
    /// Traits whose impl makes a `mount`/`on_mount` a mount function.
    pub mount_traits: Vec<String>,
    /// Attributes (last segment) that mark a mount function.
    pub mount_attrs: Vec<String>,
    /// Type names of the live-view socket.
    pub socket_types: Vec<String>,
    /// Untyped bindings with these names are sockets.
    pub socket_names: Vec<String>,
    /// Socket methods that hand out the HTTP request.
    pub socket_request_methods: Vec<String>,
    /// The socket field holding the framework's private cache of request assigns.
    pub socket_private_fields: Vec<String>,
    /// Type names (last segment) of request values.
    pub request_types: Vec<String>,
    /// Untyped bindings with these names are request values.
    pub request_names: Vec<String>,
    /// Fields of a request value that hold request assigns.
    pub request_assign_fields: Vec<String>,
    /// Methods of a request value that read request assigns.
    pub request_assign_methods: Vec<String>,
    /// The `assign_new` method, function and macro name.
    pub assign_new: Vec<String>,
    /// Method and function names that write to a session unconditionally (`put_session`).
    pub put_session: Vec<String>,
    /// Methods that write when called on a session value.
    pub session_write_methods: Vec<String>,
    /// Type names of session values.
    pub session_types: Vec<String>,
    /// Untyped bindings with these names are session values.
    pub session_names: Vec<String>,
    /// Type names of cookie jars.
    pub jar_types: Vec<String>,
    /// Untyped bindings with these names are cookie jars.
    pub jar_names: Vec<String>,
    /// Jar methods that add a cookie.
    pub jar_add_methods: Vec<String>,
    /// Jar methods that return the jar (so a re-binding stays a jar).
    pub jar_returning_methods: Vec<String>,
    /// Jar methods that return a derived jar (`signed`, `private`, ...).
    pub jar_derive_methods: Vec<String>,
    /// The cookie type and its constructors.
    pub cookie_types: Vec<String>,
    pub cookie_constructors: Vec<String>,
    /// Serializer functions whose output, stored in a cookie, is checked.
    pub serializer_fns: Vec<String>,
    /// The crate the serializer functions belong to, when called by path.
    pub serializer_crates: Vec<String>,
    /// Macros that build JSON objects.
    pub json_macros: Vec<String>,
    /// Functions that read a value of the type named by their turbofish, inside a `Result`.
    pub typed_decoders: Vec<String>,
    /// Methods that read a value of the type named by their turbofish (`.json::<T>()`).
    pub typed_read_methods: Vec<String>,
    /// Session and jar methods that read a value of the type named by their turbofish.
    pub session_read_methods: Vec<String>,
    pub jar_read_methods: Vec<String>,
    /// Typed query functions (`query_as::<_, T>`) and macros (`query_as!(T, ..)`).
    pub query_as_fns: Vec<String>,
    pub query_as_macros: Vec<String>,
    /// Methods of a typed query that fetch one row, an optional row, or every row.
    pub fetch_one: Vec<String>,
    pub fetch_optional: Vec<String>,
    pub fetch_all: Vec<String>,
    /// Wrappers that dereference to their one type argument, for fields and methods.
    pub deref_wrappers: Vec<String>,
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

impl Default for ApiProfile {
    fn default() -> ApiProfile {
        ApiProfile {
            mount_fns: names(&["mount", "on_mount"]),
            mount_traits: names(&["LiveView", "LiveComponent", "OnMount"]),
            mount_attrs: names(&["mount"]),
            socket_types: names(&["Socket"]),
            socket_names: names(&["socket"]),
            socket_request_methods: names(&["conn", "request"]),
            socket_private_fields: names(&["private"]),
            request_types: names(&["Conn", "Request", "HttpRequest", "Parts"]),
            request_names: names(&["conn", "req", "request"]),
            request_assign_fields: names(&["assigns", "private", "extensions"]),
            request_assign_methods: names(&["assigns", "extensions", "extensions_mut"]),
            assign_new: names(&["assign_new"]),
            put_session: names(&["put_session"]),
            session_write_methods: names(&["insert", "insert_value", "set"]),
            session_types: names(&["Session", "WritableSession", "TypedSession"]),
            session_names: names(&["session", "sess"]),
            jar_types: names(&[
                "CookieJar",
                "PrivateCookieJar",
                "SignedCookieJar",
                "Cookies",
                "SignedJar",
                "PrivateJar",
            ]),
            jar_names: names(&["jar", "cookies", "cookie_jar"]),
            jar_add_methods: names(&["add", "add_private", "add_signed"]),
            jar_returning_methods: names(&[
                "add",
                "remove",
                "add_private",
                "remove_private",
                "add_signed",
                "remove_signed",
            ]),
            jar_derive_methods: names(&["signed", "signed_mut", "private", "private_mut"]),
            cookie_types: names(&["Cookie"]),
            cookie_constructors: names(&["new", "build"]),
            serializer_fns: names(&["to_string", "to_string_pretty", "to_vec", "to_value"]),
            serializer_crates: names(&["serde_json"]),
            json_macros: names(&["json"]),
            typed_decoders: names(&["from_str", "from_slice", "from_value", "from_reader"]),
            typed_read_methods: names(&["json"]),
            session_read_methods: names(&["get", "remove"]),
            jar_read_methods: names(&["get"]),
            query_as_fns: names(&["query_as"]),
            query_as_macros: names(&["query_as", "query_file_as"]),
            fetch_one: names(&["fetch_one"]),
            fetch_optional: names(&["fetch_optional"]),
            fetch_all: names(&["fetch_all"]),
            deref_wrappers: names(&[
                "Box",
                "Rc",
                "Arc",
                "Data",
                "State",
                "Extension",
                "Json",
                "Form",
                "Query",
                "Path",
            ]),
        }
    }
}

impl ApiProfile {
    /// Every word whose presence in a file's text may make it a candidate for some rule. The
    /// text pre-filter is built from this list, so a configured name is never missed.
    pub fn candidate_words(&self) -> Vec<String> {
        let mut words: Vec<String> = Vec::new();
        let lists = [
            &self.mount_fns,
            &self.mount_traits,
            &self.mount_attrs,
            &self.assign_new,
            &self.put_session,
            &self.session_types,
            &self.session_names,
            &self.jar_types,
            &self.jar_names,
            &self.cookie_types,
        ];
        for list in lists {
            words.extend(list.iter().cloned());
        }
        words.sort();
        words.dedup();
        words
    }
}

/// Whether `name` is one of `list`.
pub fn is_one_of(list: &[String], name: &str) -> bool {
    list.iter().any(|n| n == name)
}
