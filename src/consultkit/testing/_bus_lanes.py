"""The ``"bus-lanes"`` scenario: Westhaven City Council consults on bus lanes for Riverside Road.

Westhaven is a made-up Welsh city; every place, person, paper and address in it is invented. Question
keywords (``riverside bus lane``, ``bus lane hours``, ``loading bay``) appear only where a post is meant to
match them: theme sentences never use them, so a post is filed under a question only by design.
"""

from __future__ import annotations

import datetime as dt

from ._fakes import Template, compile_template
from ._scenarios import BurstSpec, CampaignSpec, QuestionSpec, Scenario, ThemeSpec

__all__ = ["BUS_LANES"]

SLOTS: dict[str, tuple[str, ...]] = {
    "scheme": (
        "the scheme", "the plan", "the proposal", "these bus lanes", "the new bus lanes", "this scheme",
        "the bus lane plan", "the council's plan",
    ),
    "council": ("the council", "the city council", "Westhaven Council", "County Hall", "the cabinet"),
    "road": ("Riverside Road", "Riverside Rd", "the Riverside corridor", "the main road into town"),
    "route": ("the 12", "the 12A", "the X4", "the number 7", "the 28", "the 5"),
    "minutes": ("10", "15", "20", "25", "30", "40", "45"),
    "shop": (
        "the bakery", "the hardware shop", "the pharmacy", "the café", "the corner shop", "the barber's",
        "the florist", "the chippy",
    ),
    "street": ("Mill Street", "Chapel Lane", "Alma Terrace", "Station Road", "Bryn Road", "Victoria Place"),
    "time": (
        "in the morning rush", "at school run time", "at rush hour", "on a Saturday", "after 5pm",
        "every weekday morning",
    ),
    "place": ("the hospital", "the station", "town", "the university", "work", "the retail park", "college"),
    "person": ("my mum", "my neighbour", "my daughter", "my dad", "a friend of mine", "my partner", "my son"),
    "hedge": (
        "I think", "I reckon", "honestly I think", "in my view", "I'm convinced", "let's be honest,",
        "as far as I can see,",
    ),
    "years": ("3", "5", "8", "12", "20", "30", "40"),
}  # fmt: skip


def _t(*texts: str) -> tuple[Template, ...]:
    return tuple(compile_template(text, SLOTS) for text in texts)


THEMES = (
    ThemeSpec(
        label="Bus journey times and reliability",
        description="Whether bus lanes make buses faster and more punctual, or would not help them.",
        stance_weights=(0.6, 0.25, 0.15),
        claims={
            "favor": _t(
                "{route} {crawls|sits|gets stuck} in traffic on {road} {time}; a bus lane would fix that.",
                "{hedge} bus lanes are the only way to make buses {reliable|turn up on time|"
                "run to timetable}.",
                "My bus to {place} takes {minutes} minutes longer than it should because it's stuck behind "
                "cars.",
                "If the bus was quicker than driving, {person} would leave the car at home.",
                "A full bus carries {fifty|sixty|seventy} people. It should not queue behind one person in a "
                "car.",
                "I've missed my connection at {place} {three|four|five} times this month because {route} was "
                "stuck in traffic.",
            ),
            "against": _t(
                "The buses aren't late because of traffic, they're late because {half of them never turn up|"
                "the timetable is fiction|there aren't enough drivers}.",
                "{hedge} a bus lane will save {route} two minutes at most.",
                "Buses on {road} are half empty outside rush hour, {so why give them a whole lane?|I see it "
                "every day.}",
                "{route} is slow because it stops every hundred yards, not because of cars.",
            ),
            "none": _t(
                "Has anyone seen figures on how much time {route} would actually save?",
                "Would {route} get more frequent too, or just quicker?",
                "Does anyone know if the bus {companies|operators} have promised to use the lanes?",
            ),
        },
        translations={
            "cy": {
                "favor": (
                    "Bydd lôn fysiau yn gwneud y bws yn llawer mwy dibynadwy.",
                    "Mae'r bws yn sownd mewn traffig bob bore. Mae angen y lonydd hyn.",
                ),
                "against": ("Dyw'r bysiau ddim yn hwyr oherwydd y traffig. Does dim digon ohonyn nhw.",),
            },
            "fr": {
                "favor": ("Avec une voie réservée, les bus seraient enfin à l'heure.",),
                "against": ("Les bus ne sont pas en retard à cause des voitures, il n'y en a pas assez.",),
            },
            "pl": {
                "favor": ("Buspas sprawi, że autobusy wreszcie będą jeździć punktualnie.",),
                "against": ("Autobusy nie spóźniają się przez korki, po prostu jest ich za mało.",),
            },
        },
    ),
    ThemeSpec(
        label="Traffic congestion and car journeys",
        description="Whether taking road space for buses causes queues and diverts traffic, or eases it.",
        stance_weights=(0.15, 0.7, 0.15),
        claims={
            "against": _t(
                "Taking a lane from cars on {road} will {cause gridlock|bring the city to a standstill|make "
                "the queues twice as long}.",
                "It already takes {minutes} minutes to get along {road} {time}; {scheme} will make it worse.",
                "Traffic will just divert down {street} and the other side streets.",
                "Some of us have no choice but to drive to {place}, and {scheme} would punish us for it.",
                "One lane each way for cars on {road}? The queue will reach the bridge.",
            ),
            "favor": _t(
                "More lanes for cars never fixed congestion; a decent alternative might.",
                "Traffic on {road} is terrible already. At least the bus would get through it.",
                "Every full bus is {fifty|forty} cars off the road. That's how you cut the queues.",
            ),
            "none": _t(
                "Has {council} modelled what happens to traffic on {street}?",
                "I'd like to see the traffic modelling before I decide.",
            ),
        },
        translations={
            "cy": {
                "against": ("Bydd hyn yn creu tagfeydd ofnadwy drwy'r dref.",),
                "favor": ("Mwy o fysiau, llai o geir, llai o dagfeydd.",),
            },
            "fr": {
                "against": ("Ça va créer des bouchons énormes dans tout le centre.",),
                "favor": ("Moins de voitures, moins de bouchons : c'est simple.",),
            },
            "pl": {
                "against": ("To spowoduje ogromne korki w całym mieście.",),
                "favor": ("Mniej samochodów to mniej korków, to proste.",),
            },
        },
    ),
    ThemeSpec(
        label="Local businesses and deliveries",
        description="Effects on shops and traders: passing trade, customer parking, where deliveries stop.",
        stance_weights=(0.15, 0.7, 0.15),
        claims={
            "against": _t(
                "{shop} on {road} relies on passing trade and parking outside; {scheme} would {finish it off|"
                "drive its customers away|be the end of it}.",
                "Where are delivery drivers supposed to stop once the lane is in?",
                "Small traders on {road} are struggling already. Losing the parking will close shops.",
                "Our customers come by car. No parking, no customers.",
                "I've run a shop here for {years} years and this is the worst idea {council} has had.",
            ),
            "favor": _t(
                "People on buses spend money in shops too; more footfall would be good for {road}.",
                "Traders always assume their customers drive. Most of them walk or get the bus.",
            ),
            "none": _t(
                "Will there be a plan for deliveries to {shop} and the other shops?",
                "Can {council} publish how many shoppers on {road} actually arrive by car?",
            ),
        },
        translations={
            "cy": {
                "against": ("Bydd siopau bach lleol yn colli cwsmeriaid os bydd y parcio'n mynd.",),
                "favor": ("Mae pobl sy'n dal y bws yn siopa'n lleol hefyd.",),
            },
            "fr": {
                "against": ("Les petits commerces vont perdre leurs clients si le stationnement disparaît.",),
                "favor": ("Les gens qui prennent le bus font aussi leurs courses ici.",),
            },
            "pl": {
                "against": ("Małe sklepy stracą klientów, jeśli zniknie parking.",),
                "favor": ("Ludzie, którzy jeżdżą autobusem, też robią tu zakupy.",),
            },
        },
    ),
    ThemeSpec(
        label="Air quality and climate",
        description="Pollution, health and the climate emergency: cleaner air, or more idling queues.",
        stance_weights=(0.7, 0.15, 0.15),
        claims={
            "favor": _t(
                "Air pollution on {road} is {awful|a disgrace|over the legal limit on a bad day}; anything "
                "that gets people out of cars helps.",
                "{person} has asthma and the fumes on {road} {time} are horrendous.",
                "We declared a climate emergency. This is what acting on it looks like.",
                "Cleaner air for kids walking to school is worth a few extra minutes in the car.",
            ),
            "against": _t(
                "Queues of idling cars will make the air worse, not better.",
                "Most of the buses are old diesels, so don't pretend this is about the environment.",
            ),
            "none": _t(
                "Will there be air quality monitoring before and after?",
                "Are the new buses electric or still diesel?",
            ),
        },
        translations={
            "cy": {
                "favor": ("Mae angen aer glân ar ein plant. Dw i'n cefnogi'r cynllun.",),
                "against": ("Bydd ceir yn sefyll mewn ciwiau hir ac yn llygru'r aer yn waeth.",),
            },
            "fr": {
                "favor": ("Nos enfants ont besoin d'un air plus propre. Je soutiens ce projet.",),
                "against": ("Les voitures coincées dans les bouchons vont polluer encore plus.",),
            },
            "pl": {
                "favor": ("Nasze dzieci potrzebują czystszego powietrza. Popieram ten plan.",),
                "against": ("Samochody stojące w korkach będą jeszcze bardziej zanieczyszczać powietrze.",),
            },
        },
    ),
    ThemeSpec(
        label="Parking for residents",
        description="Residents losing on-street parking outside their homes, and where they would park.",
        stance_weights=(0.05, 0.8, 0.15),
        claims={
            "against": _t(
                "I live on {road} and {scheme} would take away the only parking outside my house.",
                "Where are residents supposed to park? {street} is full every night already.",
                "My elderly neighbours rely on parking near their front door.",
                "Losing {thirty|forty|sixty} parking spaces on {road} is not a minor change.",
            ),
            "favor": _t(
                "Storing private cars on a main bus route was never a good use of road space.",
            ),
            "none": _t(
                "Will residents on {road} get permits for {street}?",
                "How many parking spaces will actually go?",
            ),
        },
    ),
    ThemeSpec(
        label="Cycling and road safety",
        description="Safety for cyclists and pedestrians, sharing lanes with buses, and turning traffic.",
        stance_weights=(0.5, 0.3, 0.2),
        claims={
            "favor": _t(
                "As a cyclist, a bus lane is far safer than squeezing past parked cars.",
                "Fewer cars pulling in and out of spaces on {road} means fewer crashes.",
                "My kids could cycle to school if {road} felt safer.",
            ),
            "against": _t(
                "Sharing a lane with buses is terrifying on a bike; we need proper segregated cycle lanes.",
                "Drivers will swerve across the lane to turn left. An accident waiting to happen.",
            ),
            "none": _t(
                "Will cyclists be allowed in the bus lanes?",
                "What about motorbikes and taxis, can they use the lane?",
            ),
        },
    ),
    ThemeSpec(
        label="Hours of operation",
        description="When the lanes should apply: peak hours only, daytime, or at all times.",
        stance_weights=(0.35, 0.25, 0.4),
        claims={
            "favor": _t(
                "Make it 24/7. Part-time bus lanes just confuse everyone.",
                "Peak hours only would be a sensible compromise, and I'd back that.",
            ),
            "against": _t(
                "If it's only busy {time}, why should the lane run all day?",
                "All-day restrictions will kill the evening trade on {road}.",
            ),
            "none": _t(
                "The plans don't say clearly what times the lane would apply.",
                "Peak hours only or all day? It makes a big difference to whether I'd support it.",
            ),
        },
    ),
    ThemeSpec(
        label="Cost and value for money",
        description="What the scheme costs, who pays, and whether the money would be better spent elsewhere.",
        stance_weights=(0.2, 0.65, 0.15),
        claims={
            "against": _t(
                "£{2|3|4}m on paint and cameras while the potholes on {street} are left for years.",
                "What a waste of money when {council} says it's broke.",
                "Spend it on more buses, not on lanes for the few we've got.",
            ),
            "favor": _t(
                "The money comes from a government transport grant. If we don't use it, another city will.",
            ),
            "none": _t(
                "How much is the whole scheme going to cost?",
                "Is this paid for by the council or by the transport grant?",
            ),
        },
    ),
    ThemeSpec(
        label="Consultation process and trust",
        description="Whether the consultation is genuine, who was told about it, and trust in the council.",
        stance_weights=(0.05, 0.7, 0.25),
        claims={
            "against": _t(
                "The decision has already been made; this consultation is a box-ticking exercise.",
                "{council} never listens. We said no to the last scheme and they built it anyway.",
                "Nobody on {street} got a letter about this.",
            ),
            "favor": _t(
                "Good to see {council} asking people before building something, for once.",
            ),
            "none": _t(
                "Where can I see the full plans and drawings?",
                "Will there be a drop-in event at the {library|community centre|leisure centre}?",
            ),
        },
    ),
    ThemeSpec(
        label="Enforcement, cameras and fines",
        description="Camera enforcement and penalty charges: a revenue raiser, or needed to make lanes work.",
        stance_weights=(0.1, 0.6, 0.3),
        claims={
            "against": _t(
                "It's a cash cow: put cameras up and fine everyone who strays into the lane.",
                "The signs on the last bus lane were so confusing that {person} got a £70 fine in the first "
                "week.",
                "Fines will hit delivery drivers and carers, not the people causing the congestion.",
            ),
            "favor": _t(
                "Enforce it properly with cameras, or people will just park in it.",
            ),
            "none": _t(
                "Will there be cameras, and how much are the fines?",
                "Is there a warning period before fines start?",
            ),
        },
    ),
    ThemeSpec(
        label="Accessibility for disabled and older people",
        description="Blue badge parking, bus stop access and mobility: who gains and who loses access.",
        stance_weights=(0.35, 0.45, 0.2),
        claims={
            "favor": _t(
                "Level boarding and better stops would make a huge difference to {person}, who uses a "
                "wheelchair.",
                "Plenty of older people don't drive. A reliable bus is their lifeline.",
            ),
            "against": _t(
                "Blue badge holders need to park close to the shops, and {scheme} would remove every space.",
                "Moving the bus stops further apart makes it harder for anyone with mobility problems.",
            ),
            "none": _t(
                "Has there been an equality impact assessment?",
                "What happens to the blue badge bays outside {shop}?",
            ),
        },
    ),
    ThemeSpec(
        label="Bus frequency and fares",
        description="Whether lanes matter without more frequent buses, later services and cheaper fares.",
        stance_weights=(0.3, 0.3, 0.4),
        claims={
            "favor": _t(
                "Bus lanes plus cheaper fares and I'd never drive into town again.",
            ),
            "against": _t(
                "What's the point of a bus lane when {route} only runs every {minutes} minutes?",
                "A single is {£2.50|£3.20|£4} now. Nobody's leaving the car at home for that.",
            ),
            "none": _t(
                "Will the operators run more buses if the lane goes in?",
                "Any chance of a later last bus from {place}?",
            ),
        },
    ),
)

QUESTIONS = (
    QuestionSpec(
        id="views",
        text="What do you think of the proposed bus lanes on Riverside Road?",
        kind="open",
        options=(),
        hashtags=("RiversideBusLanes", "RiversideBusLane"),
        keywords=("riverside bus lane", "riverside bus lanes"),
        post_text="📣 We're consulting on new bus lanes for Riverside Road. What do you think of the "
        "proposal? Reply here or post with #RiversideBusLanes. Closes {closes}. Plans and survey: {url}",
        asked_on={"facebook": 30, "x": 12, "reddit": 12, "mastodon": 8, "bluesky": 8},
        weight=70,
        lead_ins=_t(
            "Re the {Riverside bus lanes|Riverside bus lane plan|riverside bus lanes}:",
            "My two pence on the {Riverside bus lanes|Riverside bus lane}.",
            "Just read up on the {Riverside bus lane|riverside bus lane} proposal.",
            "Filled in the survey on the {Riverside bus lanes|Riverside bus lane} today.",
            "Still thinking about the {Riverside bus lanes|riverside bus lanes}.",
        ),
    ),
    QuestionSpec(
        id="hours",
        text="If the bus lanes go ahead, when should they operate?",
        kind="closed",
        options=("Peak hours only", "7am to 7pm", "At all times"),
        hashtags=("BusLaneHours",),
        keywords=("bus lane hours",),
        post_text="If the Riverside Road bus lanes go ahead, when should they operate: peak hours only, "
        "7am to 7pm, or at all times? Reply here or use #BusLaneHours. {url}",
        asked_on={"facebook": 8, "x": 5, "mastodon": 4},
        weight=15,
        lead_ins=_t(
            "On {bus lane hours|Bus lane hours|the bus lane hours}:",
            "About the {bus lane hours|Bus lane hours} question.",
            "Re bus lane hours:",
        ),
        answers=("{option}.", "{option}, definitely.", "{option} for me.", "Vote: {option}."),
        themes=("Hours of operation", "Local businesses and deliveries", "Enforcement, cameras and fines"),
    ),
    QuestionSpec(
        id="loading",
        text="Where should delivery vehicles load once the bus lanes are in?",
        kind="closed",
        options=(
            "Keep loading bays on Riverside Road outside peak hours",
            "Move loading bays to side streets",
            "Remove loading bays",
        ),
        hashtags=("RiversideLoading",),
        keywords=("loading bay", "loading bays"),
        post_text="Traders and residents: with bus lanes on Riverside Road, should loading bays stay "
        "outside peak hours, move to side streets, or go? Tell us below or use #RiversideLoading. {url}",
        asked_on={"facebook": 8, "x": 5},
        weight=15,
        lead_ins=_t(
            "About the {loading bays|loading bay} on Riverside Road:",
            "Re loading bays:",
            "On the {loading bays|loading bay} question.",
        ),
        answers=("{option}.", "{option}, please.", "My vote: {option}."),
        themes=("Local businesses and deliveries", "Parking for residents", "Hours of operation"),
    ),
)

_DAY = dt.timedelta(days=1)
OPENS = dt.datetime(2025, 2, 3, 9, 0, tzinfo=dt.timezone.utc)
CLOSES = dt.datetime(2025, 3, 16, 23, 59, tzinfo=dt.timezone.utc)

CAMPAIGNS = (
    CampaignSpec(
        id="save-riverside-traders",
        organiser="Save Riverside Road Traders",
        letter=_t(
            "I {object|am opposed|strongly object} to the proposed bus lanes on Riverside Road.",
            "The scheme would {remove|take away|get rid of} the parking and loading spaces that {local|our|"
            "small} {businesses|shops|traders} depend on, and push traffic onto {residential|quiet|narrow} "
            "side streets.",
            "Traders on Riverside Road are {already struggling|barely surviving|hanging on} and cannot "
            "{survive|absorb|cope with} another blow.",
            "I urge {the council|councillors|Westhaven Council} to {withdraw|scrap|drop} this scheme and "
            "{listen to|work with|talk to} the people who live and work here.",
        ),
        personal=(
            "I run a shop on Riverside Road.",
            "Please read this.",
            "Signed, a worried resident.",
            "Copied from the traders' letter because I agree with every word.",
            "My family has lived here for forty years.",
        ),
        hashtags=("SaveRiversideTraders", "RiversideBusLanes"),
        question="views",
        theme="Local businesses and deliveries",
        stance="against",
        share=0.06,
        min_size=5,
        day=11.3,
        hours=40.0,
        channels={("facebook", "reply"): 55, ("reddit", "reply"): 15, ("mastodon", "hashtag"): 30},
    ),
    CampaignSpec(
        id="back-the-bus",
        organiser="Westhaven Bus Users",
        letter=_t(
            "Bus lanes on Riverside Road mean {faster|quicker|more reliable} buses, {cleaner|healthier} air "
            "and {safer streets|safer roads}.",
            "I {support|back|fully support} the scheme.",
        ),
        personal=("Daily bus user.", "Please back it.", "Done my bit."),
        hashtags=("BackTheBus", "RiversideBusLanes"),
        question="views",
        theme="Bus journey times and reliability",
        stance="favor",
        share=0.02,
        min_size=3,
        day=26.6,
        hours=30.0,
        channels={("x", "hashtag"): 40, ("bluesky", "hashtag"): 40, ("mastodon", "hashtag"): 20},
    ),
)

BURST = BurstSpec(
    id="echo-tailback",
    headline="Trial lane closure causes three-mile tailback on Riverside Road",
    url="https://westhaven-echo.example/news/2025/02/trial-lane-closure-tailback",
    reactions=_t(
        "Just seen the Echo story about the tailback.",
        "Did anyone else sit in that tailback {yesterday|this morning|last night}?",
        "That Echo piece says it all: https://westhaven-echo.example/news/2025/02/trial-lane-closure-tailback",
        "After today's {chaos|mess|tailback}, I've made my mind up.",
        "{Three miles|Three-mile queue}. {Seriously.|Unbelievable.|Wow.}",
    ),
    theme="Traffic congestion and car journeys",
    share=0.08,
    min_size=5,
    day=17.4,
    hours=30.0,
)

BUS_LANES = Scenario(
    topic="bus-lanes",
    consultation_id="westhaven-riverside-bus-lanes-2025",
    title="Bus lanes on Riverside Road",
    description="Westhaven City Council proposes bus lanes in both directions on Riverside Road, with "
    "changes to parking and loading, to make buses faster and more reliable.",
    opens=OPENS,
    closes=CLOSES,
    stance_target="the proposed bus lanes on Riverside Road",
    department="WesthavenCouncil",
    survey_url="https://haveyoursay.westhaven.example/riverside",
    questions=QUESTIONS,
    themes=THEMES,
    campaigns=CAMPAIGNS,
    burst=BURST,
    openers=_t(
        "Honestly?",
        "Hot take:",
        "OK, my two pence.",
        "Just read the plans.",
        "Been following this for a while.",
        "Long-time bus user here.",
        "Driver and cyclist here.",
        "Lived in Westhaven {years} years.",
        "Right then.",
        "Here's the thing.",
        "As someone who lives off {road}:",
        "Speaking as a {nurse|teacher|taxi driver|student|shop owner|pensioner}:",
    ),
    closers={
        "favor": (
            "Long overdue.",
            "Get it built.",
            "Fully support this.",
            "More of this please.",
            "👍",
            "Good on the council for trying.",
            "🚌💨",
        ),
        "against": (
            "Please think again.",
            "Scrap it.",
            "Absolute madness.",
            "Nobody asked for this.",
            "🙄",
            "Listen to residents for once.",
            "Not happy.",
        ),
        "none": (
            "Would be good to see the data.",
            "Genuinely undecided.",
            "Any answers appreciated.",
            "Still making my mind up.",
            "Curious what others think.",
        ),
    },
    reactions={
        "favor": ("👍", "Yes please!", "Support 💚", "About time.", "Signed and shared."),
        "against": ("No. Just no.", "👎", "Madness.", "Hard no from me.", "Here we go again 🙄"),
        "none": ("Have your say 👉", "Worth a read.", "Closes soon, get your views in.", "Interesting."),
    },
    contexts=_t(
        "I've lived on {street} for {years} years.",
        "I get {route} to {place} most days.",
        "I drive to {place} for work{| every day| three days a week}.",
        "I cycle to {place} {most days|when it's dry|every day}.",
        "We've got {two kids|three kids|a dog} and one car.",
        "I work at {place} and {take the bus|drive|walk} in.",
        "{person} runs {shop} just off {road}.",
    ),
    off_topic=_t(
        "{Lovely|Gorgeous|Stunning} sunset over the {estuary|bay|river} tonight.",
        "Anyone know a {good|reliable|cheap} {plumber|electrician|dentist|vet|roofer} in Westhaven?",
        "Roadworks on {street} again. {Third|Fourth|Second} time this year.",
        "Westhaven Town {won|lost|drew} again, what a {game|match|afternoon}.",
        "The new café on {street} does a {cracking|decent|proper} flat white.",
        "Bin collection missed again on {street}. {Reported it.|Third week running.|Anyone else?}",
        "Lost cat near {street}, {ginger|black|tabby} with a white chest, answers to "
        "{Biscuit|Marmalade|Tigger}.",
        "Does anyone know if the {library|pool|tip|market} is open on "
        "{the bank holiday|Sunday|Easter Monday}?",
        "Food bank on {street} is short of {tinned veg|pasta|nappies|cereal} this week if anyone can help.",
        "{Huge|Massive|Ridiculous} queue at the {post office|chemist|GP surgery} this {morning|afternoon}.",
        "Found a {set of keys|blue scarf|child's glove|phone} on {street}, message me to claim it.",
        "The new {Thai|Italian|Indian|Greek} place on {street} is {excellent|decent|overpriced}.",
        "Power cut on {street} {again|this evening|for the second time this week}?",
        "{Well done|Congratulations} to {Westhaven High|Ysgol y Felin|St Mary's} on the "
        "{choir|rugby|netball} win!",
    ),
    foreign_closers={
        "cy": {"favor": ("Da iawn!", "Cytuno'n llwyr."), "against": ("Dim diolch.", "Syniad gwael.")},
        "fr": {"favor": ("Bravo !", "Enfin !"), "against": ("Non merci.", "Quelle drôle d'idée.")},
        "pl": {"favor": ("Świetny pomysł!", "Nareszcie!"), "against": ("Zły pomysł.", "Nie, dziękuję.")},
    },
    off_topic_translations={
        "cy": ("Noson braf yn Westhaven heno.", "Oes rhywun yn gwybod am blymar da yn y dref?"),
        "fr": ("Quelqu'un connaît un bon boulanger à Westhaven ?",),
        "pl": ("Czy ktoś poleci dobrego dentystę w Westhaven?",),
    },
    side_tags=("Westhaven", "buses", "WesthavenCouncil", "localnews"),
    pii_sentences={
        "email": (
            "Email me at {} if you want to get involved.",
            "Happy to talk more, I'm on {}.",
            "Contact {} to join the residents' group.",
        ),
        "phone": ("Ring me on {} if you want to help.", "Text {} to join the WhatsApp group.", "Call {}."),
        "postcode": (
            "I'm at {}, two doors from the bus stop.",
            "We're in {} if anyone nearby wants to help.",
            "Postcode {} here.",
        ),
        "ni_number": (
            "The paper form asked for my National Insurance number ({}). Why?",
            "Accidentally wrote my NI number ({}) on the form, hope it gets shredded.",
        ),
        "handle": ("cc {}", "Tagging {}, you'll want to see this.", "{} what do you think?"),
    },
    subreddit="Westhaven",
    facebook_page="100064812345678",
    facebook_group="412345678901234",
    mastodon_instances=("example.social", "mastodon.example.org", "toot.example.net"),
)
