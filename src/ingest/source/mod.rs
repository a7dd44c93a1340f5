pub mod html;
pub mod plain_tables;
