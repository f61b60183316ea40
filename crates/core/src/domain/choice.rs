//! `text_choice!` defines a closed set of values stored as text (issue type, priority,
//! status): its wire/database spelling, label and icon, and its serde and sqlx mappings.

/// Declares an enum whose variants are stored in the database as the given strings.
macro_rules! text_choice {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $variant:ident = $value:literal, $label:literal, $icon:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
        pub enum $name {
            $( #[serde(rename = $value)] $variant, )+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The spelling used on the wire and in the database.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $value,)+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            pub fn icon(self) -> &'static str {
                match self { $($name::$variant => $icon,)+ }
            }

            /// The label in a customer's language (core's English when not translated).
            pub fn label_in(self, language: $crate::domain::Language) -> String {
                let id = match self { $($name::$variant => concat!(stringify!($name), "-", $value),)+ };
                if $crate::i18n::has(language, id) {
                    $crate::i18n::text(language, id)
                } else {
                    self.label().to_owned()
                }
            }

            /// Parses the wire spelling; the error lists what is accepted.
            pub fn parse(raw: &str) -> Result<Self, $crate::i18n::Message> {
                match raw.trim() {
                    $($value => Ok($name::$variant),)+
                    other => Err($crate::i18n::Message::new("choice-unknown")
                        .with("value", other.chars().take(40).collect::<String>())
                        .with("what", stringify!($name))
                        .with("choices", [$($value),+].join(", "))),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::i18n::Message;
            fn from_str(raw: &str) -> Result<Self, Self::Err> {
                Self::parse(raw)
            }
        }

        // By hand: utoipa's derive does not see serde renames written through macro literals.
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($value),+]))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}

        impl sqlx::Type<sqlx::Postgres> for $name {
            fn type_info() -> sqlx::postgres::PgTypeInfo {
                <&str as sqlx::Type<sqlx::Postgres>>::type_info()
            }
            fn compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
                <&str as sqlx::Type<sqlx::Postgres>>::compatible(ty)
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Postgres> for $name {
            fn decode(value: sqlx::postgres::PgValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let raw = <&str as sqlx::Decode<sqlx::Postgres>>::decode(value)?;
                Ok(Self::parse(raw)?)
            }
        }

        impl sqlx::Encode<'_, sqlx::Postgres> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut sqlx::postgres::PgArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<sqlx::Postgres>>::encode_by_ref(&self.as_str(), buf)
            }
        }
    };
}

pub(crate) use text_choice;
