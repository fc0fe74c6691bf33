"""Table markup every page gets, added once after rendering so no template can forget it.

- `scope` on every header cell: a `<th>` in a row of header cells heads its column
  (`scope="col"`); a `<th>` in a row with data cells heads its row (`scope="row"`). Screen
  readers then announce the right headers for each value, in tables with both kinds.
- A box around every table (`.table-box`, styled in report_base.html): a wide table scrolls
  sideways inside it on a phone, never the page. The box can take keyboard focus, so it can be
  scrolled without a mouse.

Only the templates' own tags are touched: registry text is escaped before this runs, so it
holds no `<`.
"""

from __future__ import annotations

import re

TABLE_BOX = '<div class="table-box" tabindex="0" role="group" aria-label="Table">'
_ROW = re.compile(r"<tr\b[^>]*>.*?(?=<tr\b|</thead>|</tbody>|</tfoot>|</table>)", re.S)
_TH_WITHOUT_SCOPE = re.compile(r"<th(?![^>]*\bscope=)(?=[\s>])")


def _scope_row(match: re.Match[str]) -> str:
    row = match.group(0)
    scope = "row" if "<td" in row else "col"
    return _TH_WITHOUT_SCOPE.sub(f'<th scope="{scope}"', row)


def accessible_tables(page: str) -> str:
    """The page with `scope` on every header cell and each table in its scroll box."""
    page = _ROW.sub(_scope_row, page)
    return page.replace("<table", TABLE_BOX + "<table").replace("</table>", "</table></div>")
