"""The past forms of English irregular verbs, each as its verb: stemming makes `writes` and
`writing` one word, but not `wrote` and `written` (a question asks `who wrote`, a section says
`Eliot started writing`), nor `led` and `leads`. Porter's stems of `died` and `dying` are
`di` and `dy`, so `die` found neither: they are listed too. And `birth` is `born`, which a
question asks it with (`where was she born` finds an infobox's `Birth Place`); `death` stays
apart from `die`, as every article of the uprisings tells of Stalin's death, and `how many
prisoners died in Vorkuta` then ranked the section about the amnesty after it first.

A form is listed only when it is mostly that verb in an encyclopedia. Left out: those that
are as often another word (`left`, `found`, `saw`, `rose`, `felt`, `lent`, `wound`,
`ground`, `bound`, `spring`, `SAT`), a name (`Drew`, Edward `Said`, the `Sung` dynasty,
`Hung`, `Sang`), or the word of another verb (`struck`, which would join a labour `strike`);
`did`, `had` and their kin, which the relaxation counts as question words.
"""

from __future__ import annotations

_FORMS = """
arise arose arisen | awake awoke awoken | beat beaten | become became | begin began begun |
bite bitten | blow blew blown | break broke broken | bring brought | build built |
buy bought | catch caught | choose chose chosen | come came | deal dealt | dig dug |
draw drawn | drive drove driven | eat ate eaten | fall fell fallen | fight fought |
flee fled | fly flew flown | forbid forbade forbidden | foresee foresaw foreseen |
forget forgot forgotten | freeze froze frozen | give gave given | go went gone |
grow grew grown | hear heard | hide hidden | hold held | keep kept |
know knew known | lay laid | lead led | lose lost | make made | mean meant |
mistake mistook mistaken | overcome overcame | overthrow overthrew overthrown | pay paid |
rebuild rebuilt | ride rode ridden | rise risen | run ran | seek sought |
see seen | sell sold | send sent | shake shook shaken | shine shone | show shown |
sink sank sunk | slay slew slain | slide slid | speak spoke spoken |
spend spent | spin spun | stand stood | steal stole stolen | stick stuck | strive strove striven |
swear swore sworn | sweep swept | take took taken | teach taught | tell told |
throw threw thrown | undertake undertook undertaken | understand understood |
wake woke woken | wear wore worn | weep wept | win won | withdraw withdrew withdrawn |
write wrote written | die died dies dying | born birth births
"""

# Each past form (lower case, as words are folded) and its verb.
VERB_OF: dict[str, str] = {
    form: verb
    for group in _FORMS.split("|")
    for verb, *forms in [group.split()]
    for form in forms
}
