"""The phrase lists behind ``candour``: what polished and what candid answers tend to say.

Phrases are matched against the answer with fillers removed, lowercased, one space between
words. In a phrase, ``word*`` matches any word starting with ``word`` and ``#`` matches a
number (digits or number words: "12", "seventy", "two hundred and ten", "fifty-fifty").

The lists were written from interview-coaching advice (clichés and humble-brag weaknesses that
interviewers name as red flags; the STAR template) and tuned on the *train* split of
``tests/data/candour/answers.jsonl`` only. The later lists (spin, gain figures, heroic "I",
maxims, disclosure, positive affect) name general patterns seen in the odd-numbered half of the
external set (``tests/data/candour_blind``); phrases were not copied from its answers, and the
even half was never read while writing them.  They are deliberately about wording, not about
topic: "Kafka" is specific, "best practices" is not, whatever the question.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from offscript.analysis.tokens import wordset

_NUMBER_WORDS = wordset(
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred thousand million billion dozen")
_NW = "(?:" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
_NW_ANY = f"(?:{_NW}|one)"
# "12", "3.5", "2am", "200 million", "twenty-five", "two hundred and ten", "ten-second"
NUMBER = (rf"(?:(?:\d[\d,.:]*[a-z]*|(?:one[ -](?={_NW}))?{_NW}(?:-{_NW_ANY})?)"
          rf"(?:[ -](?:and )?{_NW_ANY}(?:-{_NW_ANY})?)*(?:-[a-z]+)?)")

I_WORDS = wordset("i i'm i'd i've i'll me my mine myself")
WE_WORDS = wordset("we we're we'd we've we'll us our ours ourselves")

CLICHES = (
    "synerg*", "passionate", "passion", "above and beyond", "outside the box", "results-driven",
    "results driven", "data-driven", "data driven", "team player", "hit the ground running",
    "game changer", "game-changer", "best in class", "best-in-class", "world-class", "world class",
    "cutting-edge", "cutting edge", "leverag*", "move the needle", "low-hanging fruit", "win-win",
    "dream", "thrive", "excellence", "deliver value", "add value", "drive impact",
    "drive innovation", "make an impact", "meaningful impact", "bigger impact", "high-impact",
    "next level", "growth opportunity", "opportunity for growing", "learning experience",
    "valuable lesson", "key takeaway", "continuous improvement", "circle back", "empower*",
    "stakeholder*", "best practice*", "seamless*", "robust", "innovative", "innovation",
    "revolutioni*", "changing the world", "change the world", "iconic", "future-proof",
    "proactive*", "well-rounded", "strong communicator", "great communicator", "fast-paced",
    "self-starter", "go-getter", "push boundaries", "resonat*", "journey", "truly", "incredibly",
    "wholeheartedly", "thrilled", "delight*", "psychological safety", "safe space",
    "safe environment", "speaking truth to power", "integrity", "agile", "agility", "mobilised",
    "mobilized", "rallied", "spearhead*", "championed", "comprehensive", "invaluable",
    "highly available", "compelling", "perfect fit", "ideal place", "take ownership",
    "took ownership", "take full ownership", "full responsibility", "took accountability",
    "stepped up", "took the initiative", "dramatically", "powerful", "open-minded",
    "diverse viewpoints", "new chapter", "healthy disagreement", "lead by example",
    "leading by example", "strategic")

HUMBLE_BRAGS = (
    "perfectionis*", "care too much", "care so much", "work too hard", "working too hard",
    "too dedicated", "extremely dedicated", "too passionate", "too invested", "so invested",
    "too detail-oriented", "high standards", "highest standards", "very high standards",
    "hold myself to", "held myself to", "hard time saying no", "can't say no", "cannot say no",
    "take on too much", "took on too much", "give it one hundred percent", "give a hundred percent",
    "give one hundred percent", "give 100", "110 percent", "forget to take time for myself",
    "too hard on myself", "become a strength", "a strength in a way", "see that as a strength",
    "come from a good place", "comes from a good place", "everything to be perfect",
    "good problem to have", "need to slow down", "let my work speak for itself",
    "results speak for themselves")

ABSOLUTES = (
    "always", "never", "everyone", "everybody", "everything", "nobody", "completely", "totally",
    "perfectly", "flawless*", "absolutely", "a hundred percent", "one hundred percent",
    "100 percent", "every single", "without fail", "entirely", "without hesitation",
    "all the options", "every detail", "every perspective")

TEMPLATE = (
    "the situation was", "there was a situation", "the task was", "my task was",
    "the action i took", "the actions i took", "the result was", "as a result", "the outcome was",
    "in the end", "at the end", "ultimately", "was a success", "was success", "huge success",
    "great success", "big success", "extremely successful", "delivered successfully",
    "successfully delivered", "delivered on time", "exceeded expectations", "beat our targets",
    "great outcome", "fantastic", "a great example of", "it shows that i", "this shows that i",
    "showed me the power", "reinforced my belief", "it reinforced", "i learned a lot",
    "learned a lot", "learned so much", "grew as a", "grown as a", "growing as a", "a stronger",
    "much more effective", "one time where", "there was a time when", "there was one time",
    "there was this one time", "one instance", "comes to mind", "great learning", "great question",
    "huge win", "turned into a win", "turned things around", "turned the situation around",
    "turned a challenge into", "path forward", "move forward", "moved forward", "going forward",
    "worked out great", "went really well", "went well", "good outcome", "very happy",
    "very satisfied", "extremely satisfied", "the key lesson", "i've learned that",
    "i learned that", "it taught me that", "taught me to", "reminded me how",
    "great learning experience", "made me a")

HARMONY = (
    "came together", "come together", "on the same page", "common ground", "open dialogue",
    "aligned", "aligning", "aligns", "alignment", "consensus", "everyone could support",
    "worked for everyone", "for both sides", "very receptive", "super receptive",
    "really appreciated", "appreciated my", "appreciated it", "well received", "really grateful",
    "respected my", "recognised the team", "recognized the team", "went smoothly", "smoothly",
    "collaborative", "collaborated", "collaboration", "felt heard", "team dynamic",
    "relationship became", "even stronger", "strengthened", "constructive", "respectful",
    "respectfully", "empathy", "empathetic", "with kindness", "healthier", "great relationship",
    "great working relationship", "productive discussion", "best of both", "everyone was happy",
    "whole team was happy")

MISTAKES = (
    "i was wrong", "i'd been wrong", "i got it wrong", "my mistake", "was a mistake",
    "the first mistake", "my fault", "my call", "my proposal", "i own that", "i messed up",
    "i screwed up", "i should have", "i should've", "should have done", "i shouldn't have",
    "i didn't check", "i didn't test", "i didn't think", "i hadn't", "i missed", "i forgot",
    "i dismissed", "i ignored", "i underestimated", "i overestimated", "i skipped", "i broke",
    "i caused", "wrong call", "wrong decision", "wrong thing", "i regret", "which i regret",
    "not proud", "i'd been lazy", "been lazy", "i was hiding", "as an excuse", "said it badly",
    "pitched it badly", "i froze", "sulked", "i was defensive", "i stopped reading", "was mine",
    "i was scared", "i was the one who", "i pushed for", "i assumed", "i was slow",
    "i hadn't asked", "half right", "partly right", "i was nervous", "wrong to", "i didn't",
    "i wasn't")

COSTS = (
    "cost", "costs", "cost us", "lost", "losing", "outage", "down for", "fell over", "broke",
    "crashed", "errors for", "burned out", "left after", "didn't get back", "bus-factor",
    "bus factor", "didn't help", "embarrassing", "angry", "upset", "complaining", "painful",
    "missed", "the price")

UNCERTAINTY = (
    "maybe #", "# percent sure", "percent sure", "fifty-fifty", "not very sure", "not sure",
    "wasn't sure", "i don't know", "don't know yet", "i didn't know", "is a guess", "a guess",
    "my guess", "coin flip", "i might regret", "not fixed", "haven't solved", "might be wrong",
    "how wrong", "i'm not certain", "i could be wrong", "i don't understand", "i worry",
    "i'm not sure", "don't know whether", "don't know if", "not sure whether", "not sure if",
    "hard to say", "no idea whether", "can't tell", "still don't know", "too early to tell")

LESSONS = (
    "since then", "since that", "now i", "i now", "now every", "now before", "now if", "these days",
    "next time", "what i do now", "what i'd do", "do differently", "what i changed",
    "i changed how", "i try now", "what i try now", "i've since", "i'd never", "i'd still",
    "i put the", "i started", "i stopped", "i no longer", "lesson", "learned", "learnt",
    "taught me", "i learn")

CONCRETE_LESSONS = (
    "since then", "since that", "now i", "i now", "now every", "now before", "now if",
    "these days i", "next time", "what i do now", "what i'd do", "do differently", "what i changed",
    "i changed how", "i try now", "i've since", "i'd never", "i'd still", "i put the", "i added",
    "i stopped", "i no longer")

TRADE_OFFS = (
    "trade-off", "tradeoff", "trade off", "the cost is", "the cost was", "at the cost of",
    "downside", "in exchange", "but it meant", "it's slower", "instead of", "i'd rather",
    "fallback", "the risk was", "reversible", "rather be", "the catch", "we gave up", "i gave up",
    "the price was", "but it costs", "at the expense of", "worth it")

FRICTION = (
    "i disagreed", "didn't agree", "did not agree", "against it", "pretty against",
    "the only one against", "pushed back", "pushback", "push back", "pushes back",
    "pushing back", "argued", "overruled", "outvoted",
    "lost the vote", "i said no", "still said no", "frustrated", "annoyed", "irritated", "angry",
    "tense", "awkward", "defensive", "sulked", "hurting", "hard to hear", "nervous", "shaking",
    "embarrassing", "cooler with me", "not close", "don't work well", "he was right",
    "she was right", "they were right", "was right about", "partly right", "half right", "was fair",
    "which was fair", "that's fair", "not proud", "i regret", "don't count that as a win",
    "i still think", "i'd still argue", "burned", "scared", "upset with me", "wrong about",
    "i was wrong", "blamed", "blaming", "not happy", "i was against", "disagreed with me")

# A setback retold as a win, and praise quoted from above: the "failure" story that is a
# success story in disguise, the commonest way a polished answer survives a question about
# failure.
SPIN = (
    "turned into", "turned it into", "turned out to be a blessing", "blessing in disguise",
    "silver lining", "biggest win*", "a big win", "a real win", "proud of", "i'm proud",
    "really proud", "so proud", "worked out well", "worked out great", "worked out in the end",
    "still delivered", "still shipped", "still hit", "still made it", "ended up being",
    "ended up as one", "one of the best", "rise to the occasion", "rose to the occasion",
    "set up for success", "set them up for success", "setting them up for success",
    "positive feedback", "praised", "shout-out", "shoutout", "kudos", "ahead of schedule",
    "beat its target*", "beat the target*", "exceeded", "above target", "stronger than before",
    "stronger afterwards", "even better", "got recognised", "got recognized", "was recognised",
    "was recognized", "won an award", "got promoted")

# Words that frame a figure as a gain ("cut latency by 35%"): a polished answer's numbers are
# wins, a candid one's are often what went wrong. Matched within a few words of a number.
GAINS = (
    "increase*", "improv*", "reduc*", "cut", "cutting", "grew", "grow", "growing", "growth",
    "boost*", "saved", "saving*", "faster", "ahead", "beat", "exceed*", "uplift", "lifted",
    "higher", "gain*", "accelerat*", "decreas*", "lowered", "shaved", "doubled", "tripled",
    "drove", "driving", "delivered", "up by", "record")
GAIN_WINDOW = 4  # content words either side of the number

# "I" with a verb of heroic agency: "I" everywhere is not ownership when every "I" drives,
# rallies or makes sure; candid "I"s also miss, assume, forget and push for the wrong thing.
HERO = (
    "i made sure", "i ensured", "i drove", "i spearheaded", "i championed", "i rallied",
    "i took the lead", "i stepped up", "i orchestrated", "i mobilised", "i mobilized",
    "i galvanised", "i galvanized", "i navigated", "i facilitated", "i streamlined",
    "i empowered", "i took ownership", "i took charge", "i took the initiative",
    "i single-handedly", "i was able to", "i successfully", "i transformed", "i unblocked")

# Morals and maxims: generic "you", beliefs and abstract lessons ("the key is", "resilience")
# stated instead of what happened. Candid answers end on a habit, polished ones on a creed.
MAXIMS = (
    "the key is", "the key to", "the secret is", "it's all about", "at the end of the day",
    "most people", "you have to", "you need to", "you can't", "you want to", "you've got to",
    "how important it is", "the importance of", "just as important", "i believe",
    "i truly believe", "i really believe", "i've always believed", "i firmly believe",
    "big believer", "firm believer", "in my experience", "that's how i", "that's just how",
    "it's how i", "the mindset", "taught me a lot", "taught me the", "resilience",
    "adaptability", "growth mindset", "the right fit", "what it takes", "the bigger picture")

# Saying something unflattering about yourself that the question did not force: an ongoing
# weakness, a self-interested motive, a feeling you are not proud of.
DISCLOSURE = (
    "i still", "i tend to", "i'm bad at", "i'm not good at", "i'm not great at",
    "not my strength", "i slip", "i struggle", "i get defensive", "i don't ask", "procrastinat*",
    "i'm slow to", "i'm impatient", "i can be", "i'm not perfect", "for the money",
    "my ego", "ego", "look dumb", "look stupid", "look bad",
    "look weak", "look incompetent", "credit for", "selfish*", "self-interest*", "for my own",
    "my promotion", "get promoted", "mortgage", "i'm tired of", "bored", "burned out",
    "burnt out", "i'd be lying", "if i'm honest", "stressed", "anxious", "afraid", "worried",
    "panicked", "panic", "embarrassed", "ashamed", "guilty", "jealous", "envious", "insecure",
    "overwhelmed", "exhausted", "resent*", "bitter", "i felt stupid", "i felt dumb", "i hated",
    "i hate", "i was annoyed", "i was hurt")

# Positive-affect words; a negation just before one ("not great") cancels it.
POSITIVE = (
    "amazing", "awesome", "fantastic", "incredible", "excellent", "wonderful", "great", "love",
    "loved", "excited", "exciting", "thrilled", "proud", "grateful", "rewarding", "inspiring",
    "inspired", "positive", "stronger", "successful", "success", "smooth*", "significantly",
    "perfect", "best", "brilliant", "happy", "enjoy*", "fun", "motivated", "appreciat*")
NEGATORS = wordset("not no never n't isn't wasn't weren't didn't don't doesn't hardly")

# Roles, systems and time anchors that make a story checkable (names are found by capitals).
ROLES = (
    "tech lead", "staff engineer", "senior engineer", "junior engineer*", "designer",
    "data scientist", "sre", "director", "vp", "cto", "ceo", "incident commander",
    "product manager", "pm", "recruiter", "finance", "support", "on-call", "peer", "my report")
SYSTEMS = (
    "kafka", "sqs", "postgres*", "redis", "cassandra", "spark", "flink", "kubernetes", "mongodb",
    "graphql", "rest", "api", "sdk", "tls", "ttl", "p99", "av1", "rust", "python", "java",
    "terraform", "jenkins", "cdn", "dns", "canary", "rollback*", "holdback", "failover",
    "idempotent", "jitter", "schema*", "index*", "tokenizer", "pod", "pods", "replica*", "shard*",
    "gateway", "pipeline", "endpoint*", "staging", "load test", "dashboard", "postmortem*",
    "standup*", "retro", "design review", "design doc*", "feature flag*", "connection pool",
    "test plan", "changelog", "release note*", "ledger", "audit", "coalescing", "invalidation",
    "stampede", "retry", "retries")
TIMES = (
    "january", "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "last year", "last quarter", "last month", "last week", "this year", "q1", "q2", "q3",
    "q4", "month-ends", "at peak", "that evening", "that morning", "next morning", "in the morning",
    "that night", "the second night", "that sprint", "# minutes", "# hours", "# days", "# weeks",
    "# months", "# years", "# percent")
# Capitalised words that are not names of anything specific in this context.
NOT_NAMES = wordset(
    "i i'm i'd i've i'll netflix netflix's um uh so and but yes yeah okay ok oh hmm "
    "honestly english")
# Past-tense markers: an answer that tells a story is expected to have friction or a mistake.
PAST_MARKERS = wordset("was were had did didn't wasn't weren't hadn't went took made got")


def _phrase_regex(phrase: str) -> str:
    parts = []
    for word in phrase.split():
        if word == "#":
            parts.append(NUMBER)
        elif word.endswith("*"):
            parts.append(re.escape(word[:-1]) + r"[\w'-]*")
        else:
            parts.append(re.escape(word))
    return " ".join(parts)


def compile_phrases(phrases: Iterable[str]) -> re.Pattern[str]:
    """One regex for a list of phrases, longest first, matching whole words only."""
    alternatives = sorted({_phrase_regex(p) for p in phrases}, key=len, reverse=True)
    return re.compile(r"(?<![\w'-])(?:" + "|".join(alternatives) + r")(?![\w'-])")
