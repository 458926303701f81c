package notice

// The closed vocabularies of when a legal basis applies, whose data a
// purpose processes and what a retention rule makes an exception for.

// Condition is one case a legal basis may be limited to ("consent where
// cookies are set"): its term (Msg is the phrase the page says after the
// basis) and the legal basis it qualifies.
type Condition struct {
	Term
	Basis string
}

// BasisConditions are the cases of [[purpose]] basis_conditions, each
// qualifying one basis: consent where the visitor's device stores or is
// read (the ePrivacy consent, cited from the notice's own ePrivacy law),
// the contract where the person is a customer or asks for an offer (Art.
// 6(1)(b), "steps at the request of the data subject prior to entering into
// a contract"), a legal obligation where a law requires the processing.
var BasisConditions = []Condition{
	{Term{Key: "storage", Msg: "when_storage"}, "consent"},
	{Term{Key: "customer", Article: "6(1)(b)", Msg: "when_customer"}, "contract"},
	{Term{Key: "pre-contract", Article: "6(1)(b)", Msg: "when_pre-contract"}, "contract"},
	{Term{Key: "required-by-law", Article: "6(1)(c)", Msg: "when_required-by-law"}, "legal-obligation"},
}

// ConditionVocab is the table of BasisConditions as a Vocab of keys.
func ConditionVocab() Vocab {
	v := make(Vocab, len(BasisConditions))
	for i, c := range BasisConditions {
		v[i] = c.Term
	}
	return v
}

// LookupCondition returns the condition with key k.
func LookupCondition(k string) (Condition, bool) {
	for _, c := range BasisConditions {
		if c.Key == k {
			return c, true
		}
	}
	return Condition{}, false
}

// SubjectTypes are the categories of data subjects (Art. 30(1)(c)) a
// purpose names with subject_types = [...], each with its DPV 2.3 term
// where DPV has one (prospects, donors, volunteers, beneficiaries and
// business contacts have none). Msg names them on the page, in the plural.
var SubjectTypes = Vocab{
	{Key: "customer", IRI: "dpv:Customer", Msg: "subject_customer"},
	{Key: "prospect", Msg: "subject_prospect"},
	{Key: "user", IRI: "dpv:User", Msg: "subject_user"},
	{Key: "visitor", IRI: "dpv:Visitor", Msg: "subject_visitor"},
	{Key: "subscriber", IRI: "dpv:Subscriber", Msg: "subject_subscriber"},
	{Key: "consumer", IRI: "dpv:Consumer", Msg: "subject_consumer"},
	{Key: "client", IRI: "dpv:Client", Msg: "subject_client"},
	{Key: "member", IRI: "dpv:Member", Msg: "subject_member"},
	{Key: "donor", Msg: "subject_donor"},
	{Key: "volunteer", Msg: "subject_volunteer"},
	{Key: "beneficiary", Msg: "subject_beneficiary"},
	{Key: "applicant", IRI: "dpv:Applicant", Msg: "subject_applicant"},
	{Key: "participant", IRI: "dpv:Participant", Msg: "subject_participant"},
	{Key: "employee", IRI: "dpv:Employee", Msg: "subject_employee"},
	{Key: "job-applicant", IRI: "dpv:JobApplicant", Msg: "subject_job-applicant"},
	{Key: "business-contact", Msg: "subject_business-contact"},
	{Key: "student", IRI: "dpv:Student", Msg: "subject_student"},
	{Key: "patient", IRI: "dpv:Patient", Msg: "subject_patient"},
	{Key: "child", IRI: "dpv:Child", Msg: "subject_child"},
	{Key: "parent", IRI: "dpv:ParentOfDataSubject", Msg: "subject_parent"},
	{Key: "guardian", IRI: "dpv:GuardianOfDataSubject", Msg: "subject_guardian"},
	{Key: "citizen", IRI: "dpv:Citizen", Msg: "subject_citizen"},
}

// RetentionExceptions are what a retention rule may keep data beyond its
// period for (unless = [...]): a law that requires keeping it longer, legal
// claims (Art. 17(3)(e)), or the person's own agreement to longer. Msg is
// the phrase after the period ("unless ...").
var RetentionExceptions = Vocab{
	{Key: "legal-requirement", Article: "17(3)(b)", Msg: "unless_legal-requirement"},
	{Key: "legal-claims", Article: "17(3)(e)", Msg: "unless_legal-claims"},
	{Key: "consent", Article: "6(1)(a)", Msg: "unless_consent"},
}
