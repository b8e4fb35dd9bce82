import { splitMatches } from '@sightline/contract';

/**
 * `text` with the words of a search marked (<mark>), as React text nodes: the parts are strings
 * that React escapes, so a payload holding markup shows as characters and never as HTML.
 * `needles` come from `highlightTexts(q)` (@sightline/contract), the search the list ran.
 */
export function Marked({ text, needles }: { text: string; needles: readonly string[] }) {
  if (needles.length === 0) return <>{text}</>;
  return (
    <>
      {splitMatches(text, needles).map((part, i) =>
        part.match ? (
          <mark key={i} data-testid="search-match">
            {part.text}
          </mark>
        ) : (
          part.text
        ),
      )}
    </>
  );
}
