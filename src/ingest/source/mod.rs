pub mod plain_tables;
