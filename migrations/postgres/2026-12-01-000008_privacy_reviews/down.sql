DROP TABLE privacy_reviews;
