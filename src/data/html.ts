/**
 * Removes real HTML tags (`<br />`, `<p>`, `</i>`, `<a href="...">`) from review text, and nothing
 * else: `if x < 3 then ... else y > 2` keeps every character. A tag is `<` or `</`, a known HTML
 * element name, attributes written `name=value`, an optional `/`, and `>`, all on one line.
 */

const ELEMENTS = [
  'a', 'abbr', 'b', 'big', 'blockquote', 'br', 'center', 'cite', 'code', 'dd', 'del', 'div', 'dl', 'dt', 'em', 'font',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'ol', 'p', 'pre', 'q', 's', 'small', 'span',
  'strike', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'tt', 'u', 'ul',
];
const ATTRIBUTE = String.raw`\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*\s*=\s*(?:"[^"\n]*"|'[^'\n]*'|[^\s"'<>=]+)`;
/** Exported for ports of this rule (the Keras export writes its source into Python). */
export const HTML_TAG = new RegExp(String.raw`</?(?:${ELEMENTS.join('|')})(?:${ATTRIBUTE})*\s*/?>`, 'gi');

/** What stripping removed from a text or a whole dataset. */
export interface HtmlRemoval {
  tags: number;
  /** Characters removed (the tags' own text). */
  characters: number;
}

/** Each tag becomes a space, so `a<br />b` still splits into two words. */
export function stripHtmlTags(text: string, removal?: HtmlRemoval): string {
  if (!text.includes('<')) return text;
  return text.replace(HTML_TAG, (tag) => {
    if (removal) {
      removal.tags++;
      removal.characters += tag.length;
    }
    return ' ';
  });
}
