import { XMLValidator } from 'fast-xml-parser';
import type { FunnelResponse } from '../../../shared/analytics/funnel-schema.js';
import { escapeHtml, formatCount } from '../../../shared/analytics/render-html.js';

/**
 * Structural checks of a report.html against its funnel; returns the problems found (none = fine).
 * Used by the renderer's unit tests, the export test and the PNG rendering test.
 */
export function reportProblems(html: string, funnel: FunnelResponse): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };

  check(html.startsWith('<!DOCTYPE html>'), 'starts with the HTML5 doctype');
  const validation = XMLValidator.validate(html.replace(/^<!DOCTYPE html>\s*/, ''));
  check(validation === true, `well-formed markup: ${JSON.stringify(validation)}`);
  check(/<html lang="[a-z]{2}">/.test(html), 'html has a lang attribute');
  check(/<meta charset="utf-8" \/>/.test(html), 'declares UTF-8');
  check(/<head>[\s\S]*<title>[^<]+<\/title>[\s\S]*<\/head>/.test(html), 'head has a non-empty <title>');
  check(/<style>[\s\S]+<\/style>/.test(html), 'inline CSS');

  // self-contained, no active content. Text is escaped, so every raw '<' opens a real tag; attribute
  // values are dropped before looking at attribute names (a stage name may read "src=x").
  const tags = (html.match(/<[^>]+>/g) ?? []).map((t) => t.replace(/="[^"]*"/g, '=""'));
  const elements = tags.map((t) => /^<\/?([a-zA-Z][\w:-]*)/.exec(t)?.[1]?.toLowerCase()).filter(Boolean);
  const forbidden = [
    'script',
    'link',
    'iframe',
    'object',
    'embed',
    'img',
    'image',
    'use',
    'foreignobject',
    'video',
    'audio',
    'base',
    'form',
    'a',
  ];
  const found = elements.filter((e) => forbidden.includes(e as string));
  check(found.length === 0, `no active or embedding elements (found ${[...new Set(found)].join(', ')})`);
  const attributes = tags.flatMap((t) =>
    [...t.matchAll(/\s([a-zA-Z][\w:-]*)=""/g)].map((m) => m[1]!.toLowerCase()),
  );
  const badAttributes = attributes.filter(
    (a) =>
      a.startsWith('on') ||
      ['src', 'href', 'xlink:href', 'srcset', 'action', 'formaction', 'poster', 'style'].includes(a),
  );
  check(
    badAttributes.length === 0,
    `no event handlers or resource attributes (found ${[...new Set(badAttributes)].join(', ')})`,
  );
  const css = /<style>([\s\S]*)<\/style>/.exec(html)?.[1] ?? '';
  check(!/url\(|@import|https?:/i.test(css), 'CSS references nothing external');

  const svgs = html.match(/<svg\b[^>]*>[\s\S]*?<\/svg>/g) ?? [];
  const funnelSvgs = svgs.filter((s) => /^<svg[^>]*data-chart="funnel"/.test(s));
  const timeSvgs = svgs.filter((s) => /^<svg[^>]*data-chart="time-in-stage"/.test(s));
  check(funnelSvgs.length === 1, `exactly one funnel chart (found ${funnelSvgs.length})`);
  check(timeSvgs.length === 1, `exactly one time-in-stage chart (found ${timeSvgs.length})`);
  for (const [svg, kind] of [
    [funnelSvgs[0], 'funnel'],
    [timeSvgs[0], 'time'],
  ] as const) {
    if (!svg) continue;
    check(/^<svg[^>]*role="img"/.test(svg), `${kind} chart has role="img"`);
    const labelled = /^<svg[^>]*aria-labelledby="([^"]+)"/.exec(svg)?.[1]?.split(' ') ?? [];
    check(labelled.length === 2, `${kind} chart is labelled by a title and a description`);
    const [titleId, descId] = labelled;
    check(new RegExp(`<title id="${titleId}">[^<]+</title>`).test(svg), `${kind} chart <title> exists`);
    check(new RegExp(`<desc id="${descId}">[^<]+</desc>`).test(svg), `${kind} chart <desc> exists`);
    const bars = [...svg.matchAll(/<rect class="bar [a-z]+" data-stage="([^"]*)"/g)].map((m) => m[1]);
    check(
      bars.length === funnel.stages.length,
      `${kind} chart has one bar per stage (${bars.length} for ${funnel.stages.length})`,
    );
    check(
      bars.every((name, i) => name === escapeHtml(funnel.stages[i]?.name ?? '')),
      `${kind} chart bars follow the stage order`,
    );
  }

  // the same numbers as readable text
  for (const stage of funnel.stages) {
    check(
      html.includes(
        `<tr><th scope="row">${escapeHtml(stage.name)}</th><td>${formatCount(stage.current)}</td><td>${formatCount(stage.reached)}</td>`,
      ),
      `stage table row for ${stage.name}`,
    );
  }
  check(
    html.includes(`<dt>Applications</dt><dd>${formatCount(funnel.totals.applications)}</dd>`),
    'totals shown',
  );
  return problems;
}
