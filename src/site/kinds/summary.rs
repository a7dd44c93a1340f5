//! A quarter's summary PDF (`reports/quarterly-summary-2003-q3.pdf`): the ledger's key figures
//! and chart, the results release of the quarter, the quarter's other news and the events of
//! the next quarter ([`crate::pdf::summary`]).

use super::inputs::{Inputs, Made, Output, Reader};
use super::sources::Catalog;
use crate::diagnostics::Diagnostic;
use crate::model::Quarter;
use crate::urls;

#[derive(Hash)]
pub struct SummaryPdf(pub Quarter);

impl Output for SummaryPdf {
    fn name(&self) -> &'static str {
        "quarterly summary"
    }

    fn path(&self, _: &Catalog) -> String {
        urls::summary_pdf(self.0)
    }

    fn inputs(&self) -> Inputs<'_> {
        Inputs::none().pdf().ledger().quarter(self.0)
    }

    fn render(&self, reader: &Reader) -> Result<Made, Diagnostic> {
        let releases = reader.quarter(self.0)?;
        reader
            .pdf()?
            .quarterly_summary_from(self.0, &releases, reader.ledger()?)
            .map(Made::Bytes)
    }
}
