import { linkify, SAFE_LINK_REL } from "../../../../shared/chat-text.js";

/** A post's text: plain text, http(s) links made safe; never HTML. */
export function PostText({ text }: { text: string }) {
  return (
    <p className="chat-post__text">
      {linkify(text).map((piece, i) =>
        piece.kind === "link" ? (
          <a key={i} href={piece.href} rel={SAFE_LINK_REL} target="_blank">
            {piece.text}
          </a>
        ) : (
          <span key={i}>{piece.text}</span>
        ),
      )}
    </p>
  );
}
